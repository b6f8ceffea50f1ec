import type { TypedArray } from '../../dtype.js';
import { divisorOf, type ReduceAttrs } from './reduce.shape.js';

/** Reference reduction in float64, one rounding to f32 per output. */
export function reduceCpu(x: TypedArray, out: Float32Array, { outer, size, inner }: { outer: number; size: number; inner: number }, attrs: ReduceAttrs): void {
  const divisor = divisorOf(attrs, size);
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * size * inner + q;
      let sum = 0;
      for (let j = 0; j < size; j++) sum += x[base + j * inner]!;
      if (attrs.op !== 'variance') {
        out[o * inner + q] = attrs.op === 'mean' ? sum / divisor : sum;
        continue;
      }
      const mean = sum / size;
      let squares = 0;
      for (let j = 0; j < size; j++) squares += (x[base + j * inner]! - mean) ** 2;
      out[o * inner + q] = squares / divisor;
    }
  }
}
