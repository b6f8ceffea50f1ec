import type { KernelDef } from '../../kernel.js';
import type { BinaryAttrs } from '../../kernels-shared/broadcast-binary.js';
import { mulCpu } from './mul.cpu.js';
import { mulOutputs } from './mul.shape.js';
import { mulWgsl } from './mul.wgsl.js';

/** Element-wise a × b, b broadcast over a's leading dimensions (a scalar, a bias, a row or the same shape). */
export const mul: KernelDef<'a' | 'b', 'out', BinaryAttrs> = {
  name: 'mul',
  description: 'element-wise a × b, b broadcast over a\'s leading dimensions',
  inputs: { a: ['f32'], b: ['f32'] },
  outputs: mulOutputs,
  cpu: mulCpu,
  wgsl: mulWgsl,
  tolerance: 0,
};
