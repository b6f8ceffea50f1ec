import type { TypedArray } from '../../dtype.js';
import type { SimilarityDims, SimilarityMetric } from './pairwise-similarity.shape.js';

/** Reference scores in float64; a zero vector has cosine 0 with everything. */
export function pairwiseSimilarityCpu(queries: TypedArray, base: TypedArray, scores: Float32Array, { m, n, d }: SimilarityDims, metric: SimilarityMetric): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let qq = 0;
      let xx = 0;
      for (let t = 0; t < d; t++) {
        const a = queries[i * d + t]!;
        const b = base[j * d + t]!;
        if (metric === 'l2') acc += (a - b) * (a - b);
        else acc += a * b;
        qq += a * a;
        xx += b * b;
      }
      const norms = Math.sqrt(qq) * Math.sqrt(xx);
      scores[i * n + j] = metric === 'cosine' ? (norms > 0 ? acc / norms : 0) : acc;
    }
  }
}
