import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export interface CovarianceAttrs {
  /** Divisor is n − correction: 0 (default) gives the centered XᵀX / n of PCA; 1 the sample covariance. */
  readonly correction?: number;
}

export function covarianceDims(x: TensorSpec, { correction = 0 }: CovarianceAttrs): { n: number; d: number; divisor: number } {
  if (x.shape.length !== 2) throw new ShapeError(`kernel "covariance": x ${formatShape(x.shape)} must be [samples, features]`);
  const [n, d] = x.shape as [number, number];
  if (n - correction <= 0) throw new ShapeError(`kernel "covariance": ${n} samples with correction ${correction} leave no degrees of freedom`);
  return { n, d, divisor: n - correction };
}

export function covarianceOutputs({ x }: Specs<'x'>, attrs: CovarianceAttrs): Specs<'out'> {
  const { d } = covarianceDims(x, attrs);
  return { out: { shape: [d, d], dtype: 'f32' } };
}
