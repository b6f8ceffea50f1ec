import type { Specs } from '../../kernel.js';
import { poolBackwardGeometry, type PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';

export interface AvgPoolBackwardAttrs extends PoolBackwardAttrs {
  /** As the forward avg-pool's (default false). */
  readonly countIncludePad?: boolean;
}

export function avgPoolBackwardOutputs({ dy }: Specs<'dy'>, attrs: AvgPoolBackwardAttrs): Specs<'dx'> {
  const g = poolBackwardGeometry('avg-pool-backward', dy, attrs);
  return { dx: { shape: [g.batch, g.channels, g.height, g.width], dtype: 'f32' } };
}
