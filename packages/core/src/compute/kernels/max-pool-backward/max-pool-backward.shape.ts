import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { poolBackwardGeometry, type PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';
import { formatShape, sameShape } from '../../shape.js';

export function maxPoolBackwardOutputs({ dy, indices }: Specs<'dy' | 'indices'>, attrs: PoolBackwardAttrs): Specs<'dx'> {
  const g = poolBackwardGeometry('max-pool-backward', dy, attrs);
  if (!sameShape(indices.shape, dy.shape)) throw new ShapeError(`kernel "max-pool-backward": indices ${formatShape(indices.shape)} must have the shape of dy ${formatShape(dy.shape)}`);
  return { dx: { shape: [g.batch, g.channels, g.height, g.width], dtype: 'f32' } };
}
