import type { TypedArray } from '../dtype.js';

/** `dot`, `cosine` (similarities, larger first) or `l2` (squared distance, smaller first). */
export type SimilarityMetric = 'dot' | 'cosine' | 'l2';
export const SIMILARITY_METRICS: readonly SimilarityMetric[] = ['dot', 'cosine', 'l2'];

/**
 * The CPU references' float64 score of query row `q` against base row `b` (both `d` wide):
 * the similarity, or the squared distance for l2; a zero vector's cosine is 0.
 */
export function similarityScore(queries: TypedArray, base: TypedArray, q: number, b: number, d: number, metric: SimilarityMetric): number {
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
  return metric === 'cosine' ? (norms > 0 ? acc / norms : 0) : acc;
}
