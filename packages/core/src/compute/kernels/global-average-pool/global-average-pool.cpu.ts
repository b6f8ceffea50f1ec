import type { HostTensors, OutputArrays } from '../../kernel.js';
import { planesOf } from './global-average-pool.shape.js';

/** The mean of each (n, c) plane in float64. */
export function globalAveragePoolCpu({ x }: HostTensors<'x'>, _attrs: unknown, { out }: OutputArrays<'out'>): void {
  const { planes, planeSize } = planesOf('global-average-pool', x.shape);
  for (let p = 0; p < planes; p++) {
    let sum = 0;
    for (let j = 0; j < planeSize; j++) sum += x.data[p * planeSize + j]!;
    out[p] = sum / planeSize;
  }
}
