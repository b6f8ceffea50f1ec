import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

/** Gather-rows has no attributes. */
export type GatherRowsAttrs = Record<string, never>;

export function gatherRowsDims(x: TensorSpec, indices: TensorSpec): { rows: number; rowSize: number; count: number } {
  if (x.shape.length < 1) throw new ShapeError(`kernel "gather-rows": x ${formatShape(x.shape)} must have rank ≥ 1`);
  if (indices.shape.length !== 1) throw new ShapeError(`kernel "gather-rows": indices ${formatShape(indices.shape)} must be a vector`);
  return { rows: x.shape[0]!, rowSize: sizeOf(x.shape.slice(1)), count: indices.shape[0]! };
}

export function gatherRowsOutputs({ x, indices }: Specs<'x' | 'indices'>): Specs<'out'> {
  const { count } = gatherRowsDims(x, indices);
  return { out: { shape: [count, ...x.shape.slice(1)], dtype: x.dtype } };
}
