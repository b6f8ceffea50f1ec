import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

export interface ConcatRowsDims {
  /** Elements of a, where b's start in the output. */
  readonly split: number;
  /** Rows of the output: a's then b's. */
  readonly rows: number;
}

export function concatRowsDims({ a, b }: Specs<'a' | 'b'>): ConcatRowsDims {
  const fail = (message: string) => new ShapeError(`kernel "concat-rows": ${message}`);
  if (a.shape.length < 1 || a.shape.length !== b.shape.length || a.shape.slice(1).some((d, k) => d !== b.shape[k + 1])) {
    throw fail(`a ${formatShape(a.shape)} and b ${formatShape(b.shape)} must have the same rank ≥ 1 and the same axes after the first`);
  }
  if (a.dtype !== b.dtype) throw fail(`a is ${a.dtype} but b is ${b.dtype}; both must have one dtype`);
  return { split: sizeOf(a.shape), rows: a.shape[0]! + b.shape[0]! };
}

export function concatRowsOutputs({ a, b }: Specs<'a' | 'b'>): Specs<'out'> {
  const { rows } = concatRowsDims({ a, b });
  return { out: { shape: [rows, ...a.shape.slice(1)], dtype: a.dtype } };
}
