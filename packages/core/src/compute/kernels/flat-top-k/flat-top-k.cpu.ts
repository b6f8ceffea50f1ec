import type { TypedArray } from '../../dtype.js';
import { FUSED_CHUNK } from '../../kernels-shared/running-top-k.wgsl.js';
import type { FlatTopKDims, FlatTopKMetric } from './flat-top-k.shape.js';

/**
 * Reference: float64 scores of every (query, base) pair, then per query and per slice of the base
 * (sliceChunks chunks of 256 vectors) the k best masked-in base vectors — larger first for dot/cosine, smaller first for l2, equal scores by lower index —
 * padded with (∓∞, −1) when fewer than k are candidates.
 */
export function flatTopKCpu(
  queries: TypedArray,
  base: TypedArray,
  mask: TypedArray,
  values: Float32Array,
  indices: Int32Array,
  { m, n, d, slices, sliceChunks }: FlatTopKDims,
  metric: FlatTopKMetric,
  k: number,
): void {
  const sign = metric === 'l2' ? -1 : 1;
  const rows = sliceChunks * FUSED_CHUNK;
  for (let q = 0; q < m; q++) for (let s = 0; s < slices; s++) {
    const candidates: { key: number; index: number; value: number }[] = [];
    for (let b = s * rows; b < Math.min(n, (s + 1) * rows); b++) {
      if (mask[b] === 0) continue;
      let acc = 0;
      let qq = 0;
      let xx = 0;
      for (let j = 0; j < d; j++) {
        const a = queries[q * d + j]!;
        const x = base[b * d + j]!;
        acc += metric === 'l2' ? (a - x) * (a - x) : a * x;
        qq += a * a;
        xx += x * x;
      }
      const norms = Math.sqrt(qq) * Math.sqrt(xx);
      const value = metric === 'cosine' ? (norms > 0 ? acc / norms : 0) : acc;
      candidates.push({ key: sign * value, index: b, value });
    }
    candidates.sort((a, b) => b.key - a.key || a.index - b.index);
    for (let r = 0; r < k; r++) {
      const hit = candidates[r];
      values[(q * slices + s) * k + r] = hit ? hit.value : sign * -Infinity;
      indices[(q * slices + s) * k + r] = hit ? hit.index : -1;
    }
  }
}
