import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { SIMILARITY_METRICS as METRICS, type SimilarityMetric } from '../../kernels-shared/similarity-metric.js';

export type { SimilarityMetric };

export interface PairwiseSimilarityAttrs {
  /** `dot` and `cosine` are similarities (larger is closer); `l2` is the squared Euclidean distance (smaller is closer). */
  readonly metric: SimilarityMetric;
}

export interface SimilarityDims {
  readonly m: number;
  readonly n: number;
  readonly d: number;
}

export function similarityDims({ queries, base }: Specs<'queries' | 'base'>, { metric }: PairwiseSimilarityAttrs): SimilarityDims {
  if (!METRICS.includes(metric)) throw new ShapeError(`kernel "pairwise-similarity": metric "${metric}" is not one of ${METRICS.join(', ')}`);
  if (queries.shape.length !== 2 || base.shape.length !== 2 || queries.shape[1] !== base.shape[1]) {
    throw new ShapeError(`kernel "pairwise-similarity": queries ${formatShape(queries.shape)} and base ${formatShape(base.shape)} must be [m, d] and [n, d]`);
  }
  return { m: queries.shape[0]!, n: base.shape[0]!, d: base.shape[1]! };
}

export function pairwiseSimilarityOutputs(inputs: Specs<'queries' | 'base'>, attrs: PairwiseSimilarityAttrs): Specs<'scores'> {
  const { m, n } = similarityDims(inputs, attrs);
  return { scores: { shape: [m, n], dtype: 'f32' } };
}
