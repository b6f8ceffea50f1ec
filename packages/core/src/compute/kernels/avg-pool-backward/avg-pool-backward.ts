import type { KernelDef } from '../../kernel.js';
import { poolBackwardGeometry } from '../../kernels-shared/window-geometry.js';
import { avgPoolBackwardCpu } from './avg-pool-backward.cpu.js';
import { avgPoolBackwardOutputs, type AvgPoolBackwardAttrs } from './avg-pool-backward.shape.js';
import { avgPoolBackwardWgsl } from './avg-pool-backward.wgsl.js';

export type { AvgPoolBackwardAttrs } from './avg-pool-backward.shape.js';

/** The gradient of avg-pool: each window's dy spread evenly over the taps it averaged. */
export const avgPoolBackward: KernelDef<'dy', 'dx', AvgPoolBackwardAttrs> = {
  name: 'avg-pool-backward',
  description: 'gradient of average pooling: dy / divisor spread over each window',
  inputs: { dy: ['f32'] },
  outputs: avgPoolBackwardOutputs,
  cpu: ({ dy }, attrs, { dx }) => avgPoolBackwardCpu(dy.data, dx as Float32Array, poolBackwardGeometry('avg-pool-backward', dy, attrs), attrs.countIncludePad ?? false),
  wgsl: avgPoolBackwardWgsl,
  // Up to kH·kW quotients summed in f32 against float64: worst seen 1.2e-7 (20 seeds).
  tolerance: 1e-6,
};
