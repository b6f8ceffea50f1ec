import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { FUSED_CHUNK, MAX_FUSED_TOP_K, sliceChunks } from '../../kernels-shared/running-top-k.wgsl.js';

export type FlatTopKMetric = 'dot' | 'cosine' | 'l2';
const METRICS: readonly FlatTopKMetric[] = ['dot', 'cosine', 'l2'];

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
  const name = 'kernel "flat-top-k"';
  if (!METRICS.includes(metric)) throw new ShapeError(`${name}: metric "${metric}" is not one of ${METRICS.join(', ')}`);
  if (queries.shape.length !== 2 || base.shape.length !== 2 || queries.shape[1] !== base.shape[1]) {
    throw new ShapeError(`${name}: queries ${formatShape(queries.shape)} and base ${formatShape(base.shape)} must be [m, d] and [n, d]`);
  }
  const [m, d] = queries.shape as [number, number];
  const n = base.shape[0]!;
  if (mask.shape.length !== 1 || mask.shape[0] !== n) throw new ShapeError(`${name}: mask ${formatShape(mask.shape)} must be [${n}] (1 = candidate)`);
  if (!Number.isInteger(k) || k < 1 || k > MAX_FLAT_TOP_K) throw new ShapeError(`${name}: k = ${k} must be an integer in [1, ${MAX_FLAT_TOP_K}]`);
  if (!Number.isInteger(slices) || slices < 1) throw new ShapeError(`${name}: slices = ${slices} must be an integer ≥ 1`);
  return { m, n, d, chunks: Math.ceil(n / FUSED_CHUNK), slices, sliceChunks: sliceChunks(n, slices) };
}

export function flatTopKOutputs(inputs: Specs<'queries' | 'base' | 'mask'>, attrs: FlatTopKAttrs): Specs<'values' | 'indices'> {
  const { m, slices } = flatTopKDims(inputs, attrs);
  return { values: { shape: [m, slices, attrs.k], dtype: 'f32' }, indices: { shape: [m, slices, attrs.k], dtype: 'i32' } };
}
