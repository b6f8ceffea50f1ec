import type { TypedArray } from '../../dtype.js';
import { similarityScore } from '../../kernels-shared/similarity-metric.js';
import type { SimilarityDims, SimilarityMetric } from './pairwise-similarity.shape.js';

/** Reference scores in float64; a zero vector has cosine 0 with everything. */
export function pairwiseSimilarityCpu(queries: TypedArray, base: TypedArray, scores: Float32Array, { m, n, d }: SimilarityDims, metric: SimilarityMetric): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) scores[i * n + j] = similarityScore(queries, base, i, j, d, metric);
  }
}
