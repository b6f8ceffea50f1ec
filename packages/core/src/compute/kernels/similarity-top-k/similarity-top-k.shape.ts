import type { Specs } from '../../kernel.js';
import { FUSED_CHUNK, FUSED_QUERY_TILE } from '../../kernels-shared/running-top-k.wgsl.js';
import type { SimilarityMetric } from '../../kernels-shared/similarity-metric.js';
import { checkTopKArgs, topKOutputSpecs, similarityInputDims } from '../../kernels-shared/top-k-shape.js';

export type SimilarityTopKMetric = SimilarityMetric;

export interface SimilarityTopKAttrs {
  /** `dot`, `cosine` (similarities, larger first) or `l2` (squared distance, smaller first). */
  readonly metric: SimilarityTopKMetric;
  /** Best results kept per query and per chunk of base vectors. */
  readonly k: number;
}

/** Base vectors scored by one workgroup; each chunk yields its own k best. */
export const CHUNK = FUSED_CHUNK;
/** Queries scored by one workgroup (they share each base vector read). */
export const QUERY_TILE = FUSED_QUERY_TILE;
/** A chunk's k best are picked in workgroup memory, so k is bounded by the chunk. */
export const MAX_SIMILARITY_TOP_K = CHUNK;

export interface SimilarityTopKDims {
  readonly m: number;
  readonly n: number;
  readonly d: number;
  readonly chunks: number;
}

export function similarityTopKDims({ queries, base, mask }: Specs<'queries' | 'base' | 'mask'>, { metric, k }: SimilarityTopKAttrs): SimilarityTopKDims {
  const { m, n, d } = similarityInputDims('similarity-top-k', queries, base, metric);
  checkTopKArgs('similarity-top-k', mask, n, k, MAX_SIMILARITY_TOP_K);
  return { m, n, d, chunks: Math.ceil(n / CHUNK) };
}

export function similarityTopKOutputs(inputs: Specs<'queries' | 'base' | 'mask'>, attrs: SimilarityTopKAttrs): Specs<'values' | 'indices'> {
  const { m, chunks } = similarityTopKDims(inputs, attrs);
  return topKOutputSpecs(m, chunks, attrs.k);
}
