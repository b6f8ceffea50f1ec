import type { TypedArray } from '../../dtype.js';
import { FUSED_CHUNK } from '../../kernels-shared/running-top-k.wgsl.js';
import { segmentTopK } from '../../kernels-shared/segment-top-k.js';
import { similarityScore } from '../../kernels-shared/similarity-metric.js';
import type { FlatTopKDims, FlatTopKMetric } from './flat-top-k.shape.js';

/**
 * Reference: float64 scores of every (query, base) pair, then per query and per slice of the base
 * (sliceChunks chunks of 256 vectors) the k best masked-in base vectors — larger first for
 * dot/cosine, smaller first for l2, equal scores by lower index — padded with (∓∞, −1) when fewer
 * than k are candidates.
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
  segmentTopK(
    { m, n, k, segments: slices, segmentRows: sliceChunks * FUSED_CHUNK },
    (q, b) => (mask[b] === 0 ? undefined : sign * similarityScore(queries, base, q, b, d, metric)),
    (key) => sign * key,
    { values, indices },
  );
}
