import type { Specs } from '../../kernel.js';
import { FUSED_CHUNK, MAX_FUSED_TOP_K, sliceChunks } from '../../kernels-shared/running-top-k.wgsl.js';
import type { SimilarityMetric } from '../../kernels-shared/similarity-metric.js';
import { checkTopKArgs, topKOutputSpecs, similarityInputDims } from '../../kernels-shared/top-k-shape.js';

export type FlatTopKMetric = SimilarityMetric;

export interface FlatTopKAttrs {
  /** `dot`, `cosine` (similarities, larger first) or `l2` (squared distance, smaller first). */
  readonly metric: FlatTopKMetric;
  /** Best results kept per query, at most MAX_FLAT_TOP_K. */
  readonly k: number;
  /** Slices of the base, each keeping its own k best (default 1: the whole base in one pass). */
  readonly slices?: number;
}

export const MAX_FLAT_TOP_K = MAX_FUSED_TOP_K;

export interface FlatTopKDims {
  readonly m: number;
  readonly n: number;
  readonly d: number;
  readonly chunks: number;
  readonly slices: number;
  /** Chunks of 256 base vectors per slice. */
  readonly sliceChunks: number;
}

export function flatTopKDims({ queries, base, mask }: Specs<'queries' | 'base' | 'mask'>, { metric, k, slices = 1 }: FlatTopKAttrs): FlatTopKDims {
  const { m, n, d } = similarityInputDims('flat-top-k', queries, base, metric);
  checkTopKArgs('flat-top-k', mask, n, k, MAX_FLAT_TOP_K, slices);
  return { m, n, d, chunks: Math.ceil(n / FUSED_CHUNK), slices, sliceChunks: sliceChunks(n, slices) };
}

export function flatTopKOutputs(inputs: Specs<'queries' | 'base' | 'mask'>, attrs: FlatTopKAttrs): Specs<'values' | 'indices'> {
  const { m, slices } = flatTopKDims(inputs, attrs);
  return topKOutputSpecs(m, slices, attrs.k);
}
