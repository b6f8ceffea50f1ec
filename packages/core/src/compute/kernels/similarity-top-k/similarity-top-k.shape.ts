import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export type SimilarityTopKMetric = 'dot' | 'cosine' | 'l2';
const METRICS: readonly SimilarityTopKMetric[] = ['dot', 'cosine', 'l2'];

export interface SimilarityTopKAttrs {
  /** `dot`, `cosine` (similarities, larger first) or `l2` (squared distance, smaller first). */
  readonly metric: SimilarityTopKMetric;
  /** Best results kept per query and per chunk of base vectors. */
  readonly k: number;
}

/** Base vectors scored by one workgroup; each chunk yields its own k best. */
export const CHUNK = 256;
/** Queries scored by one workgroup (they share each base vector read). */
export const QUERY_TILE = 8;
/** A chunk's k best are picked in workgroup memory, so k is bounded by the chunk. */
export const MAX_SIMILARITY_TOP_K = CHUNK;

export interface SimilarityTopKDims {
  readonly m: number;
  readonly n: number;
  readonly d: number;
  readonly chunks: number;
}

export function similarityTopKDims({ queries, base, mask }: Specs<'queries' | 'base' | 'mask'>, { metric, k }: SimilarityTopKAttrs): SimilarityTopKDims {
  const name = 'kernel "similarity-top-k"';
  if (!METRICS.includes(metric)) throw new ShapeError(`${name}: metric "${metric}" is not one of ${METRICS.join(', ')}`);
  if (queries.shape.length !== 2 || base.shape.length !== 2 || queries.shape[1] !== base.shape[1]) {
    throw new ShapeError(`${name}: queries ${formatShape(queries.shape)} and base ${formatShape(base.shape)} must be [m, d] and [n, d]`);
  }
  const [m, d] = queries.shape as [number, number];
  const n = base.shape[0]!;
  if (mask.shape.length !== 1 || mask.shape[0] !== n) throw new ShapeError(`${name}: mask ${formatShape(mask.shape)} must be [${n}] (1 = candidate)`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_SIMILARITY_TOP_K) throw new ShapeError(`${name}: k = ${k} must be an integer in [1, ${MAX_SIMILARITY_TOP_K}]`);
  return { m, n, d, chunks: Math.ceil(n / CHUNK) };
}

export function similarityTopKOutputs(inputs: Specs<'queries' | 'base' | 'mask'>, attrs: SimilarityTopKAttrs): Specs<'values' | 'indices'> {
  const { m, chunks } = similarityTopKDims(inputs, attrs);
  return { values: { shape: [m, chunks, attrs.k], dtype: 'f32' }, indices: { shape: [m, chunks, attrs.k], dtype: 'i32' } };
}
