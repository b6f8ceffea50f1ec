import type { HostTensors, OutputArrays } from '../../kernel.js';
import { softmaxGeometry, type SoftmaxAttrs } from './softmax.shape.js';

export function softmaxCpu({ x }: HostTensors<'x'>, attrs: SoftmaxAttrs, { out }: OutputArrays<'out'>): void {
  const { outer, size, inner } = softmaxGeometry(x, attrs);
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * size * inner + q;
      let max = -Infinity;
      for (let j = 0; j < size; j++) max = Math.max(max, x.data[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < size; j++) sum += Math.exp(x.data[base + j * inner]! - max);
      for (let j = 0; j < size; j++) out[base + j * inner] = Math.exp(x.data[base + j * inner]! - max) / sum;
    }
  }
}
