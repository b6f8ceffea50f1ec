import type { HostTensors, OutputArrays } from '../../kernel.js';
import { dropThreshold, hash32 } from './dropout-mask.js';
import type { DropoutAttrs } from './dropout.shape.js';

export function dropoutCpu({ x }: HostTensors<'x'>, { p, seed }: DropoutAttrs, { out }: OutputArrays<'out'>): void {
  const threshold = dropThreshold(p);
  const keyed = hash32(seed);
  const gain = Math.fround(1 / (1 - p));
  const data = x.data;
  for (let i = 0; i < out.length; i++) out[i] = hash32((i ^ keyed) >>> 0) >= threshold ? data[i]! * gain : 0;
}
