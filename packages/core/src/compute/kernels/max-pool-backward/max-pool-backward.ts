import type { KernelDef } from '../../kernel.js';
import { poolBackwardGeometry, type PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';
import { maxPoolBackwardCpu } from './max-pool-backward.cpu.js';
import { maxPoolBackwardOutputs } from './max-pool-backward.shape.js';
import { maxPoolBackwardWgsl } from './max-pool-backward.wgsl.js';

export type { PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';

/** The gradient of max-pool: dy routed to each window's argmax (max-pool's `indices`). */
export const maxPoolBackward: KernelDef<'dy' | 'indices', 'dx', PoolBackwardAttrs> = {
  name: 'max-pool-backward',
  description: 'gradient of max pooling: dy summed into the argmax of each window',
  inputs: { dy: ['f32'], indices: ['i32'] },
  outputs: maxPoolBackwardOutputs,
  cpu: ({ dy, indices }, attrs, { dx }) => maxPoolBackwardCpu(dy.data, indices.data, dx as Float32Array, poolBackwardGeometry('max-pool-backward', dy, attrs)),
  wgsl: maxPoolBackwardWgsl,
  // Sums of at most kH·kW values, f32 on the GPU against float64: worst seen 1.2e-7 (20 seeds).
  tolerance: 1e-6,
};
