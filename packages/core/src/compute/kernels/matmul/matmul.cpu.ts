import type { TypedArray } from '../../dtype.js';
import type { MatmulAttrs, MatmulDims } from './matmul.shape.js';

/**
 * The reference product: float64 accumulation, one rounding to f32 per output, every output
 * summed over t = 0..k−1 in order — bit for bit the plain triple loop. The loops are arranged for
 * speed on the CPU path of training: op(a) is laid out as rows [m, k] and op(b) as columns
 * [n, k] (copied only when stored the other way), then each 4×4 block of outputs is 16 running
 * float64 sums over two pairs of contiguous rows. A product with fewer than 4 rows streams b's
 * rows instead, so that a single row never pays for copying b.
 */
export function matmulCpu(a: TypedArray, b: TypedArray, out: Float32Array, dims: MatmulDims, { transposeA = false, transposeB = false }: MatmulAttrs): void {
  const { batch, m, n, k, aBatchStride, bBatchStride } = dims;
  for (let p = 0; p < batch; p++) {
    const aBase = p * aBatchStride;
    const bBase = p * bBatchStride;
    const target = out.subarray(p * m * n, (p + 1) * m * n);
    if (m < 4 && !transposeB) {
      streamRowsOfB(a, b, target, aBase, bBase, m, n, k, transposeA);
      continue;
    }
    const rows = transposeA ? transposeInto(a, aBase, k, m, 0) : a.subarray(aBase, aBase + m * k);
    const columns = transposeB ? b.subarray(bBase, bBase + n * k) : transposeInto(b, bBase, k, n, 1);
    blockedDots(rows, columns, target, m, n, k);
  }
}

const scratch: Float32Array[] = [new Float32Array(0), new Float32Array(0)];

/** `src[base ..]` read as [rows, cols], written transposed [cols, rows] into reused scratch `slot`. */
function transposeInto(src: TypedArray, base: number, rows: number, cols: number, slot: number): Float32Array {
  if (scratch[slot]!.length < rows * cols) scratch[slot] = new Float32Array(rows * cols);
  const dst = scratch[slot]!;
  for (let r = 0; r < rows; r++) {
    const from = base + r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[from + c]!;
  }
  return dst;
}

/** out [m, n] = A · Bᵀ for A [m, k] and B [n, k], both row-major. */
function blockedDots(a: TypedArray, b: TypedArray, out: Float32Array, m: number, n: number, k: number): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0; // prettier-ignore
      for (let t = 0; t < k; t++) {
        const x0 = a[a0 + t]!;
        const x1 = a[a1 + t]!;
        const x2 = a[a2 + t]!;
        const x3 = a[a3 + t]!;
        const y0 = b[b0 + t]!;
        const y1 = b[b1 + t]!;
        const y2 = b[b2 + t]!;
        const y3 = b[b3 + t]!;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3; // prettier-ignore
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3; // prettier-ignore
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3; // prettier-ignore
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3; // prettier-ignore
      }
      let o = i * n + j;
      out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03; // prettier-ignore
      o += n;
      out[o] = s10; out[o + 1] = s11; out[o + 2] = s12; out[o + 3] = s13; // prettier-ignore
      o += n;
      out[o] = s20; out[o + 1] = s21; out[o + 2] = s22; out[o + 3] = s23; // prettier-ignore
      o += n;
      out[o] = s30; out[o + 1] = s31; out[o + 2] = s32; out[o + 3] = s33; // prettier-ignore
    }
  }
  // The edges, still with several running sums per pass: the columns right of n4 four rows at a
  // time, then the rows below m4 four columns at a time, then the corner one by one.
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    for (let j = n4; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < k; t++) {
        const y = b[bj + t]!;
        s0 += a[a0 + t]! * y;
        s1 += a[a0 + k + t]! * y;
        s2 += a[a0 + 2 * k + t]! * y;
        s3 += a[a0 + 3 * k + t]! * y;
      }
      out[i * n + j] = s0;
      out[(i + 1) * n + j] = s1;
      out[(i + 2) * n + j] = s2;
      out[(i + 3) * n + j] = s3;
    }
  }
  for (let i = m4; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < k; t++) {
        const x = a[ai + t]!;
        s0 += x * b[b0 + t]!;
        s1 += x * b[b0 + k + t]!;
        s2 += x * b[b0 + 2 * k + t]!;
        s3 += x * b[b0 + 3 * k + t]!;
      }
      out[i * n + j] = s0;
      out[i * n + j + 1] = s1;
      out[i * n + j + 2] = s2;
      out[i * n + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      const bj = j * k;
      let sum = 0;
      for (let t = 0; t < k; t++) sum += a[ai + t]! * b[bj + t]!;
      out[i * n + j] = sum;
    }
  }
}

let accumulator = new Float64Array(0);

/** op(a) · b for a few rows: each contiguous row of b is streamed into a row of float64 sums. */
function streamRowsOfB(a: TypedArray, b: TypedArray, out: Float32Array, aBase: number, bBase: number, m: number, n: number, k: number, transposeA: boolean): void {
  if (accumulator.length < n) accumulator = new Float64Array(n);
  const acc = accumulator;
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    for (let t = 0; t < k; t++) {
      const av = a[aBase + (transposeA ? t * m + i : i * k + t)]!;
      const bRow = bBase + t * n;
      for (let j = 0; j < n; j++) acc[j]! += av * b[bRow + j]!;
    }
    for (let j = 0; j < n; j++) out[i * n + j] = acc[j]!;
  }
}
