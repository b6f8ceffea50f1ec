import type { TypedArray } from '../../dtype.js';
import type { MatmulAttrs, MatmulDims } from './matmul.shape.js';

/**
 * The reference product: float64 accumulation, one rounding to f32 per output, every output
 * summed over t = 0..k−1 in order. The loop orders are chosen for the cache (rows of `b` are read
 * contiguously, a row of float64 accumulators stays in L1), not for a different arithmetic: the
 * results are bit for bit those of the plain triple loop.
 */
export function matmulCpu(a: TypedArray, b: TypedArray, out: Float32Array, dims: MatmulDims, { transposeA = false, transposeB = false }: MatmulAttrs): void {
  const { batch, m, n, k, aBatchStride, bBatchStride } = dims;
  const acc = accumulator(transposeB ? 0 : 4 * n);
  for (let p = 0; p < batch; p++) {
    const aBase = p * aBatchStride;
    const bBase = p * bBatchStride;
    const outBase = p * m * n;
    if (transposeB) productWithBt(a, b, out, aBase, bBase, outBase, m, n, k, transposeA);
    else productWithB(a, b, out, acc, aBase, bBase, outBase, m, n, k, transposeA);
  }
}

let scratch = new Float64Array(0);

/** A reused float64 buffer (grown, never shrunk), so repeated products allocate nothing. */
function accumulator(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(length);
  return scratch;
}

/**
 * op(a) · b with b [k, n]: rows of the output four at a time; for each t, the four a values are
 * hoisted and one contiguous row of b is streamed into four rows of float64 accumulators.
 */
function productWithB(a: TypedArray, b: TypedArray, out: Float32Array, acc: Float64Array, aBase: number, bBase: number, outBase: number, m: number, n: number, k: number, transposeA: boolean): void {
  // Element (i, t) of op(a) is at aBase + i·rowStep + t·colStep.
  const rowStep = transposeA ? 1 : k;
  const colStep = transposeA ? m : 1;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    acc.fill(0, 0, 4 * n);
    for (let t = 0; t < k; t++) {
      const at = aBase + i * rowStep + t * colStep;
      const a0 = a[at]!;
      const a1 = a[at + rowStep]!;
      const a2 = a[at + 2 * rowStep]!;
      const a3 = a[at + 3 * rowStep]!;
      const bRow = bBase + t * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bRow + j]!;
        acc[j] += a0 * bv;
        acc[n + j] += a1 * bv;
        acc[2 * n + j] += a2 * bv;
        acc[3 * n + j] += a3 * bv;
      }
    }
    out.set(acc.subarray(0, 4 * n), outBase + i * n);
  }
  for (; i < m; i++) {
    acc.fill(0, 0, n);
    for (let t = 0; t < k; t++) {
      const av = a[aBase + i * rowStep + t * colStep]!;
      const bRow = bBase + t * n;
      for (let j = 0; j < n; j++) acc[j] += av * b[bRow + j]!;
    }
    out.set(acc.subarray(0, n), outBase + i * n);
  }
}

/** op(a) · bᵀ with b [n, k]: dot products of a row of op(a) with four rows of b at once. */
function productWithBt(a: TypedArray, b: TypedArray, out: Float32Array, aBase: number, bBase: number, outBase: number, m: number, n: number, k: number, transposeA: boolean): void {
  const rowStep = transposeA ? 1 : k;
  const colStep = transposeA ? m : 1;
  for (let i = 0; i < m; i++) {
    const aRow = aBase + i * rowStep;
    const outRow = outBase + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = bBase + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < k; t++) {
        const av = a[aRow + t * colStep]!;
        s0 += av * b[b0 + t]!;
        s1 += av * b[b1 + t]!;
        s2 += av * b[b2 + t]!;
        s3 += av * b[b3 + t]!;
      }
      out[outRow + j] = s0;
      out[outRow + j + 1] = s1;
      out[outRow + j + 2] = s2;
      out[outRow + j + 3] = s3;
    }
    for (; j < n; j++) {
      const bRow = bBase + j * k;
      let sum = 0;
      for (let t = 0; t < k; t++) sum += a[aRow + t * colStep]! * b[bRow + t]!;
      out[outRow + j] = sum;
    }
  }
}
