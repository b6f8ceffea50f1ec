import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

export interface TopKMergeAttrs {
  readonly k: number;
  /** true (default): keep the largest values (similarities); false: the smallest (distances). */
  readonly largest?: boolean;
}

/** Each invocation keeps its row's best k in private memory. */
export const MAX_TOP_K_MERGE = 256;

export function topKMergeGeometry({ scores: values, ids: indices }: Specs<'scores' | 'ids'>, { k }: TopKMergeAttrs): { rows: number; parts: number } {
  const name = 'kernel "top-k-merge"';
  if (values.shape.length < 1 || formatShape(values.shape) !== formatShape(indices.shape)) {
    throw new ShapeError(`${name}: scores ${formatShape(values.shape)} and ids ${formatShape(indices.shape)} must have one shape [..., candidates]`);
  }
  if (!Number.isInteger(k) || k < 1 || k > MAX_TOP_K_MERGE) throw new ShapeError(`${name}: k = ${k} must be an integer in [1, ${MAX_TOP_K_MERGE}]`);
  const parts = values.shape[values.shape.length - 1]!;
  return { rows: sizeOf(values.shape.slice(0, -1)), parts };
}

export function topKMergeOutputs(inputs: Specs<'scores' | 'ids'>, attrs: TopKMergeAttrs): Specs<'values' | 'indices'> {
  topKMergeGeometry(inputs, attrs);
  const shape = [...inputs.scores.shape.slice(0, -1), attrs.k];
  return { values: { shape, dtype: 'f32' }, indices: { shape, dtype: 'i32' } };
}
