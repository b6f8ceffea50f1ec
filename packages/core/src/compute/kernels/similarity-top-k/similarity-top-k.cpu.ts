import type { TypedArray } from '../../dtype.js';
import { CHUNK, type SimilarityTopKDims, type SimilarityTopKMetric } from './similarity-top-k.shape.js';

/**
 * Reference: float64 scores of every (query, base) pair, then per query and per chunk of CHUNK base
 * vectors the k best masked-in ones — larger first for dot/cosine, smaller first for l2, equal
 * scores by lower index — padded with (∓∞, −1) when a chunk has fewer than k candidates.
 */
export function similarityTopKCpu(
  queries: TypedArray,
  base: TypedArray,
  mask: TypedArray,
  values: Float32Array,
  indices: Int32Array,
  { m, n, d, chunks }: SimilarityTopKDims,
  metric: SimilarityTopKMetric,
  k: number,
): void {
  const sign = metric === 'l2' ? -1 : 1;
  for (let q = 0; q < m; q++) {
    for (let c = 0; c < chunks; c++) {
      const candidates: { key: number; index: number; value: number }[] = [];
      for (let b = c * CHUNK; b < Math.min(n, (c + 1) * CHUNK); b++) {
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
        const o = (q * chunks + c) * k + r;
        const hit = candidates[r];
        values[o] = hit ? hit.value : sign * -Infinity;
        indices[o] = hit ? hit.index : -1;
      }
    }
  }
}
