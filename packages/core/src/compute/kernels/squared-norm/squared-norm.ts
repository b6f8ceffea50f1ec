import type { KernelDef } from '../../kernel.js';
import { squaredNormCpu } from './squared-norm.cpu.js';
import { squaredNormOutputs, type SquaredNormAttrs } from './squared-norm.shape.js';
import { squaredNormWgsl } from './squared-norm.wgsl.js';

/**
 * out = acc + Σ x²: one tensor's share of a global squared norm, chained over tensors through
 * `acc` so the total stays on the device (gradient clipping reads it there, no read-back).
 */
export const squaredNorm: KernelDef<'x' | 'acc', 'out', SquaredNormAttrs> = {
  name: 'squared-norm',
  description: 'acc + sum of squares of x, as a [1] tensor (chains into a global norm)',
  inputs: { x: ['f32'], acc: ['f32'] },
  outputs: squaredNormOutputs,
  cpu: squaredNormCpu,
  wgsl: squaredNormWgsl,
  tolerance: 1e-3,
};
