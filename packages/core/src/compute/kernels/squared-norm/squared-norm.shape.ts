import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

/** Squared-norm has no attributes. */
export type SquaredNormAttrs = Record<string, never>;

export function squaredNormOutputs({ acc }: Specs<'x' | 'acc'>): Specs<'out'> {
  if (sizeOf(acc.shape) !== 1) throw new ShapeError(`kernel "squared-norm": acc ${formatShape(acc.shape)} must hold one value`);
  return { out: { shape: [1], dtype: 'f32' } };
}
