import type { Specs } from '../../kernel.js';
import { assertScalar, assertSameShapes } from '../../kernels-shared/same-shape.js';

export interface AdamUpdateAttrs {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** λ: an L2 term in the gradient (Adam) or, with `decoupled`, θ ← θ·(1 − lr·λ) (AdamW). */
  readonly weightDecay?: number;
  /** true: AdamW's decoupled weight decay; false (default): Adam with L2. */
  readonly decoupled?: boolean;
  /** The 1-based step number, for bias correction. */
  readonly step: number;
  /** Global-norm clipping threshold applied through `squaredNorm` (≤ 0 or omitted: no clipping). */
  readonly maxNorm?: number;
}

export type AdamUpdateInputs = 'param' | 'grad' | 'm' | 'v' | 'squaredNorm';
export type AdamUpdateOutputs = 'newParam' | 'newM' | 'newV';

export function adamUpdateOutputs(inputs: Specs<AdamUpdateInputs>): Specs<AdamUpdateOutputs> {
  assertSameShapes('adam-update', inputs, ['param', 'grad', 'm', 'v']);
  assertScalar('adam-update', 'squaredNorm', inputs.squaredNorm);
  const spec = { shape: inputs.param.shape, dtype: 'f32' as const };
  return { newParam: spec, newM: spec, newV: spec };
}

/** The attributes with their defaults, and the bias corrections of this step. */
export function adamConstants({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, step }: AdamUpdateAttrs) {
  // 1 − β is passed computed in float64: 1 − f32(0.999) on the GPU would be off by 1.3e-5.
  return { beta1, beta2, one_minus_beta1: 1 - beta1, one_minus_beta2: 1 - beta2, epsilon, correction1: 1 - beta1 ** step, correction2: 1 - beta2 ** step };
}
