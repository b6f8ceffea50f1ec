import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { sizeOf } from '../../shape.js';

export interface TopKAttrs {
  readonly k: number;
  /** true (default): the k largest values, e.g. similarities; false: the k smallest, e.g. L2 distances. */
  readonly largest?: boolean;
}

/** Each GPU invocation keeps its row's best k in private memory, so k is bounded. */
export const MAX_TOP_K = 256;

export function topKGeometry(x: TensorSpec, { k }: TopKAttrs): { rows: number; n: number } {
  const n = x.shape[x.shape.length - 1] ?? 0;
  if (x.shape.length === 0) throw new ShapeError('kernel "top-k": input must have rank ≥ 1');
  if (!Number.isInteger(k) || k < 1 || k > n || k > MAX_TOP_K) {
    throw new ShapeError(`kernel "top-k": k = ${k} must be an integer in [1, min(${n}, ${MAX_TOP_K})] (the last axis has ${n})`);
  }
  return { rows: sizeOf(x.shape.slice(0, -1)), n };
}

export function topKOutputs({ x }: Specs<'x'>, attrs: TopKAttrs): Specs<'values' | 'indices'> {
  topKGeometry(x, attrs);
  const shape = [...x.shape.slice(0, -1), attrs.k];
  return { values: { shape, dtype: 'f32' }, indices: { shape, dtype: 'i32' } };
}
