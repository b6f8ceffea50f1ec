import type { HostTensors, OutputArrays } from '../../kernel.js';
import { finiteBound, type ClampAttrs } from './clamp.shape.js';

export function clampCpu({ x }: HostTensors<'x'>, { min, max }: ClampAttrs, { out }: OutputArrays<'out'>): void {
  const lo = Math.fround(finiteBound(min));
  const hi = Math.fround(finiteBound(max));
  for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(x.data[i]!, lo), hi);
}
