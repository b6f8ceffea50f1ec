import type { KernelDef } from '../../kernel.js';
import { scaleCpu } from './scale.cpu.js';
import { scaleOutputs, type ScaleAttrs } from './scale.shape.js';
import { scaleWgsl } from './scale.wgsl.js';

export type { ScaleAttrs } from './scale.shape.js';

/** `out = x · alpha + beta`, from any dtype to f32 (e.g. 8-bit pixels to [0, 1] with alpha = 1/255). */
export const scale: KernelDef<'x', 'out', ScaleAttrs> = {
  name: 'scale',
  description: 'out = x * alpha + beta, any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: scaleOutputs,
  cpu: scaleCpu,
  wgsl: scaleWgsl,
  tolerance: 1e-6,
};
