import type { KernelDef } from '../../kernel.js';
import type { BinaryAttrs } from '../../kernels-shared/broadcast-binary.js';
import { addCpu } from './add.cpu.js';
import { addOutputs } from './add.shape.js';
import { addWgsl } from './add.wgsl.js';

/** Element-wise a + b, b broadcast over a's leading dimensions (a scalar, a bias, a row or the same shape). */
export const add: KernelDef<'a' | 'b', 'out', BinaryAttrs> = {
  name: 'add',
  description: 'element-wise a + b, b broadcast over a\'s leading dimensions',
  inputs: { a: ['f32'], b: ['f32'] },
  outputs: addOutputs,
  cpu: addCpu,
  wgsl: addWgsl,
  tolerance: 0,
};
