import type { HostTensors, OutputArrays } from '../../kernel.js';
import { normalizeLayout, perChannel, type NormalizeAttrs } from './normalize.shape.js';

/** Plain loops in float64, one rounding to f32 per output. */
export function normalizeCpu({ x }: HostTensors<'x'>, attrs: NormalizeAttrs, { out }: OutputArrays<'out'>): void {
  const { channels, inner } = normalizeLayout(x, attrs);
  const mean = perChannel(attrs.mean, channels);
  const std = perChannel(attrs.std, channels);
  const scale = attrs.scale ?? 1;
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor(i / inner) % channels;
    out[i] = (x.data[i]! * scale - mean[c]!) / std[c]!;
  }
}
