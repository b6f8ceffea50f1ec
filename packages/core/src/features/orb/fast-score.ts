import type { GrayImage } from './gray-image.js';

/** The Bresenham circle of radius 3 (16 pixels) FAST tests, clockwise from the top. */
export const FAST_CIRCLE: readonly (readonly [number, number])[] = [
  [0, -3], [1, -3], [2, -2], [3, -1], [3, 0], [3, 1], [2, 2], [1, 3],
  [0, 3], [-1, 3], [-2, 2], [-3, 1], [-3, 0], [-3, -1], [-2, -2], [-1, -3],
];
const ARC = 9;

/**
 * FAST-9 corner score of every pixel (Rosten & Drummond): the largest threshold t for which 9
 * contiguous circle pixels are all brighter than centre + t or all darker than centre − t; a pixel
 * is a corner at threshold T when its score exceeds T. Pixels within 3 of the border score 0.
 */
export function fastScores(image: GrayImage): Float32Array {
  const { width, height, pixels } = image;
  const scores = new Float32Array(width * height);
  const offsets = FAST_CIRCLE.map(([dx, dy]) => dy * width + dx);
  const diff = new Float32Array(16);
  for (let y = 3; y < height - 3; y++) {
    for (let x = 3; x < width - 3; x++) {
      const centre = y * width + x;
      const c = pixels[centre]!;
      for (let k = 0; k < 16; k++) diff[k] = pixels[centre + offsets[k]!]! - c;
      let best = 0;
      for (let start = 0; start < 16; start++) {
        let brighter = Infinity;
        let darker = Infinity;
        for (let j = 0; j < ARC; j++) {
          const d = diff[(start + j) & 15]!;
          if (d < brighter) brighter = d;
          if (-d < darker) darker = -d;
        }
        if (brighter > best) best = brighter;
        if (darker > best) best = darker;
      }
      scores[centre] = best;
    }
  }
  return scores;
}
