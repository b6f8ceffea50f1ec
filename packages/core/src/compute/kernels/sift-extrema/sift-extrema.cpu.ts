import type { TypedArray } from '../../dtype.js';
import type { SiftExtremaAttrs } from './sift-extrema.shape.js';

/**
 * SIFT's scale-space extrema (OpenCV 4.x's test): a pixel of the centre level with |v| > threshold
 * that is ≥ all 26 neighbours in the 3×3×3 cube (v > 0) marks 1, ≤ all of them (v < 0) marks −1,
 * anything else 0. Comparisons only: both backends agree exactly.
 */
export function siftExtremaCpu(below: TypedArray, centre: TypedArray, above: TypedArray, { threshold, border }: SiftExtremaAttrs, out: Float32Array, height: number, width: number): void {
  const plane = height * width;
  out.fill(0);
  for (let base = 0; base < centre.length; base += plane) {
    for (let y = border; y < height - border; y++) {
      for (let x = border; x < width - border; x++) {
        const i = base + y * width + x;
        const v = centre[i]!;
        if (!(Math.abs(v) > threshold)) continue;
        let isMax = v > 0;
        let isMin = v < 0;
        for (let dy = -1; dy <= 1 && (isMax || isMin); dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const j = i + dy * width + dx;
            const a = below[j]!;
            const b = above[j]!;
            const c = centre[j]!;
            if (a > v || b > v || c > v) isMax = false;
            if (a < v || b < v || c < v) isMin = false;
          }
        }
        out[i] = isMax ? 1 : isMin ? -1 : 0;
      }
    }
  }
}
