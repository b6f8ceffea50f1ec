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
 * Along x, pixels whose taps all lie inside the row skip the reflection; along y, whole rows are
 * weighted and summed, so memory is read in order.
 */
export function gaussianBlurCpu(x: TypedArray, { sigma, axis }: GaussianBlurAttrs, out: Float32Array, height: number, width: number): void {
  const radius = gaussianRadius(sigma);
  const taps = 2 * radius + 1;
  const weights = new Float64Array(taps);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += weights[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < taps; k++) weights[k]! /= total;
  const plane = height * width;
  if (axis === 'y') {
    const row = new Float64Array(width);
    for (let base = 0; base < x.length; base += plane) {
      for (let y = 0; y < height; y++) {
        row.fill(0);
        for (let k = 0; k < taps; k++) {
          const w = weights[k]!;
          const from = base + reflect101(y + k - radius, height) * width;
          for (let c = 0; c < width; c++) row[c]! += w * x[from + c]!;
        }
        out.set(row, base + y * width);
      }
    }
    return;
  }
  const offsets = new Int32Array(taps);
  for (let start = 0; start < x.length; start += width) {
    for (let p = 0; p < width; p++) {
      let sum = 0;
      if (p >= radius && p + radius < width) {
        for (let k = 0, at = start + p - radius; k < taps; k++, at++) sum += weights[k]! * x[at]!;
      } else {
        for (let k = 0; k < taps; k++) offsets[k] = reflect101(p + k - radius, width);
        for (let k = 0; k < taps; k++) sum += weights[k]! * x[start + offsets[k]!]!;
      }
      out[start + p] = sum;
    }
  }
}
