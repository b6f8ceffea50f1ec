import type { TypedArray } from '../../dtype.js';
import type { MatmulAttrs, MatmulDims } from './matmul.shape.js';

/** The reference product: plain loops, float64 accumulation, one rounding to f32 per output. */
export function matmulCpu(a: TypedArray, b: TypedArray, out: Float32Array, dims: MatmulDims, { transposeA = false, transposeB = false }: MatmulAttrs): void {
  const { batch, m, n, k, aBatchStride, bBatchStride } = dims;
  for (let p = 0; p < batch; p++) {
    const aBase = p * aBatchStride;
    const bBase = p * bBatchStride;
    const outBase = p * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let t = 0; t < k; t++) {
          const av = a[aBase + (transposeA ? t * m + i : i * k + t)]!;
          const bv = b[bBase + (transposeB ? j * k + t : t * n + j)]!;
          sum += av * bv;
        }
        out[outBase + i * n + j] = sum;
      }
    }
  }
}
