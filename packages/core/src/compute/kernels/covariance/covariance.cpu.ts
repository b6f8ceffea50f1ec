import type { HostTensors, OutputArrays } from '../../kernel.js';
import { covarianceDims, type CovarianceAttrs } from './covariance.shape.js';

/** Two passes in float64: the column means, then the centered products (upper triangle, mirrored). */
export function covarianceCpu({ x }: HostTensors<'x'>, attrs: CovarianceAttrs, { out }: OutputArrays<'out'>): void {
  const { n, d, divisor } = covarianceDims(x, attrs);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c]! += x.data[r * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= n;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += (x.data[r * d + a]! - mean[a]!) * (x.data[r * d + b]! - mean[b]!);
      out[a * d + b] = out[b * d + a] = sum / divisor;
    }
  }
}
