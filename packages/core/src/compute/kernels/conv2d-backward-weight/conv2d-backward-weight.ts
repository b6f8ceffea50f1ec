import type { KernelDef } from '../../kernel.js';
import { conv2dBackwardWeightCpu } from './conv2d-backward-weight.cpu.js';
import { conv2dBackwardWeightOutputs, convBackwardWeightGeometry, type Conv2dBackwardWeightAttrs } from './conv2d-backward-weight.shape.js';
import { conv2dBackwardWeightWgsl } from './conv2d-backward-weight.wgsl.js';

export type { Conv2dBackwardWeightAttrs } from './conv2d-backward-weight.shape.js';

/**
 * The gradient of conv2d with respect to its weight: x [N, C, H, W] and dy [N, M, OH, OW] →
 * dw [M, C/group, kH, kW]. The bias gradient is dy summed over N, OH and OW (the reduce kernel).
 */
export const conv2dBackwardWeight: KernelDef<'x' | 'dy', 'dw', Conv2dBackwardWeightAttrs> = {
  name: 'conv2d-backward-weight',
  description: 'gradient of conv2d with respect to w (dy correlated with x over the batch)',
  inputs: { x: ['f32'], dy: ['f32'] },
  outputs: conv2dBackwardWeightOutputs,
  cpu: ({ x, dy }, attrs, { dw }) => conv2dBackwardWeightCpu(x.data, dy.data, dw as Float32Array, convBackwardWeightGeometry(x, dy, attrs)),
  wgsl: conv2dBackwardWeightWgsl,
  // f32 sums over the batch's output pixels (16-deep tiles in order) against float64: worst seen 1.9e-6 (20 seeds).
  tolerance: 1e-4,
};
