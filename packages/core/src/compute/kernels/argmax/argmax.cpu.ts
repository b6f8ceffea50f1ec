import type { HostTensors, OutputArrays } from '../../kernel.js';
import { argmaxGeometry, type ArgmaxAttrs } from './argmax.shape.js';

export function argmaxCpu({ x }: HostTensors<'x'>, attrs: ArgmaxAttrs, { out }: OutputArrays<'out'>): void {
  const { outer, size, inner } = argmaxGeometry(x, attrs);
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * size * inner + q;
      let best = 0;
      for (let j = 1; j < size; j++) if (x.data[base + j * inner]! > x.data[base + best * inner]!) best = j;
      out[o * inner + q] = best;
    }
  }
}
