import * as z from 'zod';

/**
 * How far from the training cases an input may be before its prediction is flagged as out of
 * distribution: a quantile of the training cases' own leave-one-out nearest-neighbour distances
 * in the case index (the distance from a case to its nearest other case).
 */
export const outOfDistributionSchema = z.strictObject({
  threshold: z.number().nonnegative().describe('nearest-case distance above which a prediction is flagged'),
  quantile: z.number().gt(0).max(1).describe('quantile of the training cases\' leave-one-out nearest-neighbour distances the threshold is'),
  samples: z.int().positive().describe('training cases the quantile was measured on'),
});
export type OutOfDistribution = z.output<typeof outOfDistributionSchema>;

/**
 * A search hit's score as a distance (smaller is nearer): 1 − similarity for cosine, the
 * Euclidean distance for l2 (whose scores are squared distances), −score for dot products.
 */
export function hitDistance(metric: 'cosine' | 'dot' | 'l2', score: number): number {
  if (metric === 'cosine') return Math.max(0, 1 - score);
  if (metric === 'l2') return Math.sqrt(Math.max(0, score));
  return -score;
}
