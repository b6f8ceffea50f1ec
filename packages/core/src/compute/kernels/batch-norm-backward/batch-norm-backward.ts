import type { KernelDef } from '../../kernel.js';
import { batchNormBackwardCpu } from './batch-norm-backward.cpu.js';
import { batchNormBackwardOutputs, type BatchNormBackwardAttrs, type BatchNormBackwardInputs } from './batch-norm-backward.shape.js';
import { batchNormBackwardWgsl } from './batch-norm-backward.wgsl.js';

export type { BatchNormBackwardAttrs } from './batch-norm-backward.shape.js';

/** Gradients of batch-norm: dx, dscale and dbias from x, dy, scale and the [2, C] statistics (mean, 1/σ) the forward used. */
export const batchNormBackward: KernelDef<BatchNormBackwardInputs, 'dx' | 'dscale' | 'dbias', BatchNormBackwardAttrs> = {
  name: 'batch-norm-backward',
  description: 'gradients of batch normalisation (dx, dscale, dbias), training or evaluation statistics',
  inputs: { x: ['f32'], dy: ['f32'], scale: ['f32'], statistics: ['f32'] },
  outputs: batchNormBackwardOutputs,
  cpu: batchNormBackwardCpu,
  wgsl: batchNormBackwardWgsl,
  // The same tree sums, then dx from them: worst seen 6.8e-7 (20 seeds).
  tolerance: 1e-5,
};
