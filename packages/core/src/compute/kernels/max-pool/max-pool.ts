import type { KernelDef } from '../../kernel.js';
import { poolGeometry } from '../../kernels-shared/window-geometry.js';
import { maxPoolCpu } from './max-pool.cpu.js';
import { maxPoolOutputs, type PoolAttrs } from './max-pool.shape.js';
import { maxPoolWgsl } from './max-pool.wgsl.js';

export type { PoolAttrs } from './max-pool.shape.js';

/** 2-D max pooling of NCHW (ONNX MaxPool, ceil_mode 0) with the argmax of each window for the backward pass. */
export const maxPool: KernelDef<'x', 'out' | 'indices', PoolAttrs> = {
  name: 'max-pool',
  description: 'NCHW 2-D max pooling (ONNX MaxPool) with flat argmax indices',
  inputs: { x: ['f32'] },
  outputs: maxPoolOutputs,
  cpu: ({ x }, attrs, { out, indices }) => maxPoolCpu(x.data, out as Float32Array, indices as Int32Array, poolGeometry('max-pool', x, attrs)),
  wgsl: maxPoolWgsl,
  // A copy of one input and its index: exact.
  tolerance: 0,
};
