import type { Specs } from '../../kernel.js';
import { assertScalar, assertSameShapes } from '../../kernels-shared/same-shape.js';

export interface SgdUpdateAttrs {
  readonly lr: number;
  /** Momentum μ in [0, 1) (0: plain SGD). */
  readonly momentum?: number;
  /** L2 penalty λ added to the gradient: g + λ·θ (default 0). */
  readonly weightDecay?: number;
  /** Global-norm clipping threshold applied through `squaredNorm` (≤ 0 or omitted: no clipping). */
  readonly maxNorm?: number;
}

export type SgdUpdateInputs = 'param' | 'grad' | 'velocity' | 'squaredNorm';

export function sgdUpdateOutputs(inputs: Specs<SgdUpdateInputs>): Specs<'newParam' | 'newVelocity'> {
  assertSameShapes('sgd-update', inputs, ['param', 'grad', 'velocity']);
  assertScalar('sgd-update', 'squaredNorm', inputs.squaredNorm);
  return { newParam: { shape: inputs.param.shape, dtype: 'f32' }, newVelocity: { shape: inputs.param.shape, dtype: 'f32' } };
}
