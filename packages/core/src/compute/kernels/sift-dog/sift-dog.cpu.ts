import type { TypedArray } from '../../dtype.js';

/** out = upper − lower, element by element (one f32 rounding, as on the GPU). */
export function siftDogCpu(upper: TypedArray, lower: TypedArray, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = upper[i]! - lower[i]!;
}
