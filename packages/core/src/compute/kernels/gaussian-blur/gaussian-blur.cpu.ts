import type { TypedArray } from '../../dtype.js';
import { gaussianRadius, type GaussianBlurAttrs } from './gaussian-blur.shape.js';

/** OpenCV's BORDER_REFLECT_101 (…, 2, 1 | 0, 1, 2, …, n−1 | n−2, …), repeated for taps wider than the image. */
export function reflect101(p: number, n: number): number {
  if (n === 1) return 0;
  while (p < 0 || p >= n) p = p < 0 ? -p : 2 * n - 2 - p;
  return p;
}

/**
 * One pass of a separable Gaussian along `axis`: out = Σₖ w(k)·x[p + k] / Σ w over k in [−r, r]
 * with w(k) = exp(−k²/2σ²), taps past the edge reflected (REFLECT_101, OpenCV's default border).
 * Each output pixel is a 1-D line of taps with a stride (1 along x, `width` along y); pixels whose
 * taps all lie inside skip the reflection.
 */
export function gaussianBlurCpu(x: TypedArray, { sigma, axis }: GaussianBlurAttrs, out: Float32Array, height: number, width: number): void {
  const radius = gaussianRadius(sigma);
  const taps = 2 * radius + 1;
  const weights = new Float64Array(taps);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += weights[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < taps; k++) weights[k]! /= total;
  const [lines, length, stride, lineStep] = axis === 'x' ? [height, width, 1, width] : [width, height, width, 1];
  const plane = height * width;
  const offsets = new Int32Array(taps);
  for (let base = 0; base < x.length; base += plane) {
    for (let line = 0; line < lines; line++) {
      const start = base + line * lineStep;
      for (let p = 0; p < length; p++) {
        let sum = 0;
        if (p >= radius && p + radius < length) {
          for (let k = 0, at = start + (p - radius) * stride; k < taps; k++, at += stride) sum += weights[k]! * x[at]!;
        } else {
          for (let k = 0; k < taps; k++) offsets[k] = reflect101(p + k - radius, length);
          for (let k = 0; k < taps; k++) sum += weights[k]! * x[start + offsets[k]! * stride]!;
        }
        out[start + p * stride] = sum;
      }
    }
  }
}
