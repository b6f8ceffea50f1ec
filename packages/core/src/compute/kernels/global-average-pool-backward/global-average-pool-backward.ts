import type { KernelDef } from '../../kernel.js';
import { globalAveragePoolBackwardCpu } from './global-average-pool-backward.cpu.js';
import { globalAveragePoolBackwardOutputs, type GlobalAveragePoolBackwardAttrs } from './global-average-pool-backward.shape.js';
import { globalAveragePoolBackwardWgsl } from './global-average-pool-backward.wgsl.js';

export type { GlobalAveragePoolBackwardAttrs } from './global-average-pool-backward.shape.js';

/** The gradient of global-average-pool: each plane gets its dy divided evenly. */
export const globalAveragePoolBackward: KernelDef<'dy', 'dx', GlobalAveragePoolBackwardAttrs> = {
  name: 'global-average-pool-backward',
  description: 'gradient of global average pooling: dy / plane size over each plane',
  inputs: { dy: ['f32'] },
  outputs: globalAveragePoolBackwardOutputs,
  cpu: globalAveragePoolBackwardCpu,
  wgsl: globalAveragePoolBackwardWgsl,
  // One f32 division per element (WGSL's is within 2.5 ulp): measured exact over 20 seeds.
  tolerance: 1e-6,
};
