import type { KernelDef } from '../../kernel.js';
import { globalAveragePoolCpu } from './global-average-pool.cpu.js';
import { globalAveragePoolOutputs } from './global-average-pool.shape.js';
import { globalAveragePoolWgsl } from './global-average-pool.wgsl.js';

/** ONNX GlobalAveragePool: [N, C, ...spatial] → [N, C, 1, ...], the mean of each channel's plane. */
export const globalAveragePool: KernelDef<'x', 'out', Record<string, never>> = {
  name: 'global-average-pool',
  description: 'mean over the spatial axes of [N, C, ...] (ONNX GlobalAveragePool)',
  inputs: { x: ['f32'] },
  outputs: globalAveragePoolOutputs,
  cpu: globalAveragePoolCpu,
  wgsl: globalAveragePoolWgsl,
  // A plane of up to 144 values summed in f32 against float64: worst seen 6e-8 (20 seeds).
  tolerance: 1e-6,
};
