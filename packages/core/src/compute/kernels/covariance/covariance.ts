import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export interface CovarianceAttrs {
  /** Divisor is n − correction: 0 (default) gives the centered XᵀX / n of PCA; 1 the sample covariance. */
  readonly correction?: number;
}

function dims(x: TensorSpec, { correction = 0 }: CovarianceAttrs): { n: number; d: number; divisor: number } {
  if (x.shape.length !== 2) throw new ShapeError(`kernel "covariance": x ${formatShape(x.shape)} must be [samples, features]`);
  const [n, d] = x.shape as [number, number];
  if (n - correction <= 0) throw new ShapeError(`kernel "covariance": ${n} samples with correction ${correction} leave no degrees of freedom`);
  return { n, d, divisor: n - correction };
}

/** Covariance of the columns of X [n, d] → [d, d], two-pass (means first) for accuracy. */
export const covariance: KernelDef<'x', 'out', CovarianceAttrs> = {
  name: 'covariance',
  description: 'centered XᵀX / (n − correction) of the columns of X',
  inputs: { x: ['f32'] },
  outputs: ({ x }, attrs) => {
    const { d } = dims(x, attrs);
    return { out: { shape: [d, d], dtype: 'f32' } };
  },
  cpu: ({ x }, attrs, { out }) => {
    const { n, d, divisor } = dims(x, attrs);
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
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { n: 'u32', d: 'u32', divisor: 'f32' },
    uniformValues: ({ x }, attrs) => dims(x, attrs),
    launch: ({ x }, attrs) => ({ kind: 'elementwise', invocations: dims(x, attrs).d ** 2 }),
    // One invocation per entry; entry (a, b) and (b, a) compute the same sums in the same order,
    // so the result is exactly symmetric.
    body: () => `
  let a = min(i / params.d, i % params.d);
  let b = max(i / params.d, i % params.d);
  var sa = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < params.n; r++) {
    sa += load_x(r * params.d + a);
    sb += load_x(r * params.d + b);
  }
  let ma = sa / f32(params.n);
  let mb = sb / f32(params.n);
  var sum = 0.0;
  for (var r = 0u; r < params.n; r++) {
    sum = fma(load_x(r * params.d + a) - ma, load_x(r * params.d + b) - mb, sum);
  }
  out[i] = sum / params.divisor;`,
  },
  tolerance: 1e-3,
};
