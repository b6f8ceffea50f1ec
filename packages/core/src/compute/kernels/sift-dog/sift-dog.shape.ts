import type { Specs } from '../../kernel.js';
import { formatShape, sameShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** Two scale-space levels of the same shape → their difference, same shape. */
export function siftDogOutputs({ upper, lower }: Specs<'upper' | 'lower'>): Specs<'out'> {
  if (!sameShape(upper.shape, lower.shape)) throw new ShapeError(`kernel "sift-dog": upper ${formatShape(upper.shape)} and lower ${formatShape(lower.shape)} must have the same shape`);
  return { out: { shape: upper.shape, dtype: 'f32' } };
}
