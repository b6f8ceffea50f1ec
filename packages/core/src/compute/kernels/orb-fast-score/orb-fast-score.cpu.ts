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
  const offsets = FAST_CIRCLE.map(([dx, dy]) => dy * width + dx);
  const diff = new Float32Array(16);
  out.fill(0);
  for (let base = 0; base < x.length; base += plane) {
    for (let y = 3; y < height - 3; y++) {
      for (let x0 = 3; x0 < width - 3; x0++) {
        const centre = base + y * width + x0;
        const c = Number(x[centre]);
        for (let k = 0; k < 16; k++) diff[k] = Number(x[centre + offsets[k]!]) - c;
        let best = 0;
        for (let start = 0; start < 16; start++) {
          let brighter = Infinity;
          let darker = Infinity;
          for (let j = 0; j < FAST_ARC; j++) {
            const d = diff[(start + j) & 15]!;
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
