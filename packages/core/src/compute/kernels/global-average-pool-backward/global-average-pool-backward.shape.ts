import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

export interface GlobalAveragePoolBackwardAttrs {
  /** The forward input's spatial sizes ([H, W] for images). */
  readonly inputSize: readonly number[];
}

export function globalAveragePoolBackwardOutputs({ dy }: Specs<'dy'>, { inputSize }: GlobalAveragePoolBackwardAttrs): Specs<'dx'> {
  const kernel = 'global-average-pool-backward';
  if (!Array.isArray(inputSize) || inputSize.length === 0 || !inputSize.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(`kernel "${kernel}": inputSize ${JSON.stringify(inputSize)} must be the forward input's spatial sizes, e.g. [height, width]`);
  }
  if (dy.shape.length !== inputSize.length + 2 || sizeOf(dy.shape.slice(2)) !== 1) {
    throw new ShapeError(`kernel "${kernel}": dy ${formatShape(dy.shape)} must be [N, C${', 1'.repeat(inputSize.length)}], global-average-pool's output`);
  }
  return { dx: { shape: [dy.shape[0]!, dy.shape[1]!, ...inputSize], dtype: 'f32' } };
}
