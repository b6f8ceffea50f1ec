import type { HostTensors, OutputArrays } from '../../kernel.js';
import { BT601_LUMA, colorLayout, type ColorAttrs } from './color.shape.js';

/** Plain loops in float64, one rounding to f32 per output. */
export function colorCpu({ x }: HostTensors<'x'>, attrs: ColorAttrs, { out }: OutputArrays<'out'>): void {
  const { channels, inner } = colorLayout(x, attrs);
  const outer = x.data.length / (channels * inner);
  const [wr, wg, wb] = BT601_LUMA;
  for (let o = 0; o < outer; o++) {
    for (let n = 0; n < inner; n++) {
      if (attrs.conversion === 'rgb-to-gray') {
        const base = o * channels * inner + n;
        out[o * inner + n] = wr * x.data[base]! + wg * x.data[base + inner]! + wb * x.data[base + 2 * inner]!;
      } else {
        const v = x.data[o * inner + n]!;
        for (let c = 0; c < 3; c++) out[(o * 3 + c) * inner + n] = v;
      }
    }
  }
}
