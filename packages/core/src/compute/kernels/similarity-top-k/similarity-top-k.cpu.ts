import type { TypedArray } from '../../dtype.js';
import { segmentTopK } from '../../kernels-shared/segment-top-k.js';
import { similarityScore } from '../../kernels-shared/similarity-metric.js';
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
  segmentTopK(
    { m, n, k, segments: chunks, segmentRows: CHUNK },
    (q, b) => (mask[b] === 0 ? undefined : sign * similarityScore(queries, base, q, b, d, metric)),
    (key) => sign * key,
    { values, indices },
  );
}
