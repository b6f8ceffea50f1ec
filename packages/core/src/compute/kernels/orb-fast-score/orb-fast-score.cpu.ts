import type { TypedArray } from '../../dtype.js';
import { FAST_ARC, FAST_CIRCLE } from './orb-fast-score.shape.js';

/**
 * FAST-9 corner score of every pixel (Rosten & Drummond): the largest t for which 9 contiguous
 * circle pixels are all brighter than centre + t or all darker than centre − t (0 when none is);
 * a pixel is a corner at threshold T when its score exceeds T. Pixels within 3 of the border score 0.
 * Differences are rounded to f32 once, as the GPU computes them, so both backends agree exactly.
 */
export function orbFastScoreCpu(x: TypedArray, out: Float32Array, height: number, width: number): void {
  const plane = height * width;
  const offsets = Int32Array.from(FAST_CIRCLE, ([dx, dy]) => dy * width + dx);
  const pixels = x instanceof Float32Array ? x : Float32Array.from(x as ArrayLike<number>);
  // The 16 differences twice over, so every 9-arc is a contiguous run without wrapping.
  const diff = new Float32Array(32);
  out.fill(0);
  for (let base = 0; base < pixels.length; base += plane) {
    for (let y = 3; y < height - 3; y++) {
      for (let x0 = 3; x0 < width - 3; x0++) {
        const centre = base + y * width + x0;
        const c = pixels[centre]!;
        for (let k = 0; k < 16; k++) diff[k] = diff[k + 16] = pixels[centre + offsets[k]!]! - c;
        // Every 9-arc holds two neighbouring compass points (0, 4, 8, 12): when no such pair is
        // both brighter or both darker, no arc scores above 0 (the high-speed test of FAST).
        let bound = 0;
        for (let k = 0; k < 16; k += 4) {
          const a = diff[k]!;
          const b = diff[k + 4]!;
          bound = Math.max(bound, Math.min(a, b), -Math.max(a, b));
        }
        if (bound <= 0) continue;
        let best = 0;
        for (let start = 0; start < 16; start++) {
          let brighter = diff[start]!;
          let darker = -brighter;
          for (let j = start + 1; j < start + FAST_ARC; j++) {
            const d = diff[j]!;
            if (d < brighter) brighter = d;
            if (-d < darker) darker = -d;
          }
          if (brighter > best) best = brighter;
          if (darker > best) best = darker;
        }
        out[centre] = best;
      }
    }
  }
}
