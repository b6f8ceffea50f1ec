import type { Specs } from '../../kernel.js';
import { poolGeometry, type PoolAttrs } from '../../kernels-shared/window-geometry.js';

export type { PoolAttrs } from '../../kernels-shared/window-geometry.js';

export function maxPoolOutputs({ x }: Specs<'x'>, attrs: PoolAttrs): Specs<'out' | 'indices'> {
  const g = poolGeometry('max-pool', x, attrs);
  const shape = [g.batch, g.channels, g.outHeight, g.outWidth];
  return { out: { shape, dtype: 'f32' }, indices: { shape, dtype: 'i32' } };
}
