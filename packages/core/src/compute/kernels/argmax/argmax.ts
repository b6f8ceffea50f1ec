import type { KernelDef } from '../../kernel.js';
import { argmaxCpu } from './argmax.cpu.js';
import { argmaxOutputs, type ArgmaxAttrs } from './argmax.shape.js';
import { argmaxWgsl } from './argmax.wgsl.js';

export type { ArgmaxAttrs } from './argmax.shape.js';

/** Index of the largest value along an axis (i32); ties go to the lowest index, as in ONNX ArgMax. */
export const argmax: KernelDef<'x', 'out', ArgmaxAttrs> = {
  name: 'argmax',
  description: 'index of the maximum along one axis, first index on ties',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: argmaxOutputs,
  cpu: argmaxCpu,
  wgsl: argmaxWgsl,
  tolerance: 0,
};
