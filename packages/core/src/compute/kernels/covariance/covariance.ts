import type { KernelDef } from '../../kernel.js';
import { covarianceCpu } from './covariance.cpu.js';
import { covarianceOutputs, type CovarianceAttrs } from './covariance.shape.js';
import { covarianceWgsl } from './covariance.wgsl.js';

export type { CovarianceAttrs } from './covariance.shape.js';

/** Covariance of the columns of X [n, d] → [d, d], two-pass (means first) for accuracy. */
export const covariance: KernelDef<'x', 'out', CovarianceAttrs> = {
  name: 'covariance',
  description: 'centered XᵀX / (n − correction) of the columns of X',
  inputs: { x: ['f32'] },
  outputs: covarianceOutputs,
  cpu: covarianceCpu,
  wgsl: covarianceWgsl,
  tolerance: 1e-3,
};
