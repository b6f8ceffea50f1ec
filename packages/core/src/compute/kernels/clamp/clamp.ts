import type { KernelDef } from '../../kernel.js';
import { clampCpu } from './clamp.cpu.js';
import { clampOutputs, type ClampAttrs } from './clamp.shape.js';
import { clampWgsl } from './clamp.wgsl.js';

export type { ClampAttrs } from './clamp.shape.js';

export const clamp: KernelDef<'x', 'out', ClampAttrs> = {
  name: 'clamp',
  description: 'out = min(max(x, min), max), element-wise',
  inputs: { x: ['f32'] },
  outputs: clampOutputs,
  cpu: clampCpu,
  wgsl: clampWgsl,
  tolerance: 0,
};
