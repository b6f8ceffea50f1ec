import type { HostTensors, OutputArrays } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import type { GlobalAveragePoolBackwardAttrs } from './global-average-pool-backward.shape.js';

/** dx = dy[n, c] / (plane size) at every element of the plane. */
export function globalAveragePoolBackwardCpu({ dy }: HostTensors<'dy'>, { inputSize }: GlobalAveragePoolBackwardAttrs, { dx }: OutputArrays<'dx'>): void {
  const planeSize = sizeOf(inputSize);
  for (let i = 0; i < dx.length; i++) dx[i] = dy.data[Math.floor(i / planeSize)]! / planeSize;
}
