import { hitDistance, type OutOfDistribution } from '../../bundle/kinds/out-of-distribution.js';
import type { VectorIndex } from '../../index/types.js';
import type { OriginalRows } from './index.js';

/** The share of training cases nearer to another case than the threshold. */
export const OOD_QUANTILE = 0.99;
/** Training cases whose nearest other case is measured: enough for a 99th percentile, few enough to stay quick on 60000 cases. */
const MAX_QUERIES = 1000;

/**
 * The out-of-distribution threshold of a case index: the `OOD_QUANTILE` quantile of the training
 * cases' leave-one-out nearest-neighbour distances (each case's distance to its nearest other case),
 * measured on up to `MAX_QUERIES` evenly spaced cases. An input farther than this from every case is
 * farther from the training set than 99% of the training set is from itself. Null with fewer than
 * two cases (there is no other case to be near).
 */
export function outOfDistributionThreshold(index: VectorIndex, originals: OriginalRows, metric: 'cosine' | 'dot' | 'l2'): OutOfDistribution | null {
  const rows = originals.sampleIndex.length;
  if (rows < 2) return null;
  const count = Math.min(rows, MAX_QUERIES);
  const { dim, features } = originals;
  const picked = Array.from({ length: count }, (_, i) => Math.floor((i * rows) / count));
  const queries = new Float32Array(count * dim);
  picked.forEach((row, i) => queries.set(features.subarray(row * dim, (row + 1) * dim), i * dim));
  const hits = index.searchBatch(queries, { k: 2 });
  const distances: number[] = [];
  hits.forEach((found, i) => {
    const self = originals.sampleIndex[picked[i]!]!;
    const nearest = found.find((hit) => hit.id !== self);
    if (nearest) distances.push(hitDistance(metric, nearest.score));
  });
  if (distances.length === 0) return null;
  distances.sort((a, b) => a - b);
  const threshold = distances[Math.max(0, Math.ceil(OOD_QUANTILE * distances.length) - 1)]!;
  return { threshold, quantile: OOD_QUANTILE, samples: distances.length };
}
