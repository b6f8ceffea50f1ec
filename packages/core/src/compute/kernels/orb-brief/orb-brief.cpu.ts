import { DIRECTION_BITS, DIRECTION_COUNT, DIRECTIONS } from '../orb-orientation/orb-orientation.shape.js';
import { KEYPOINT_FIELDS, TEST_FIELDS } from './orb-brief.shape.js';

const HALF = 1 << (DIRECTION_BITS - 1);

/** Furthest a rotated test point can land from its keypoint along either axis (|x| + |y| bounds it). */
function patternReach(pattern: Int32Array): number {
  let reach = 0;
  for (let p = 0; p < pattern.length; p += 2) reach = Math.max(reach, Math.abs(pattern[p]!) + Math.abs(pattern[p + 1]!));
  return reach;
}

/**
 * Steered BRIEF: per keypoint, the pattern's points rotated by its direction (integer cosine and
 * sine scaled by 2^12, rounded half up: (a·c − b·s + 2^11) >> 12, exact on every backend), and bit
 * t of the descriptor set when the smoothed image is darker at test t's first point than at its
 * second. Bits pack into i32 words, test t at bit t mod 32 of word ⌊t/32⌋. Points outside the
 * image take the nearest edge pixel; image indices are clamped to the batch.
 */
export function orbBriefCpu(image: Float32Array, keypoints: Int32Array, directions: Int32Array, pattern: Int32Array, out: Int32Array, images: number, height: number, width: number): void {
  const tests = pattern.length / TEST_FIELDS;
  const words = tests / 32;
  const reach = patternReach(pattern);
  const offsets = new Int32Array(tests * 2);
  for (let k = 0; k < directions.length; k++) {
    const n = Math.min(Math.max(keypoints[k * KEYPOINT_FIELDS]!, 0), images - 1);
    const x = keypoints[k * KEYPOINT_FIELDS + 1]!;
    const y = keypoints[k * KEYPOINT_FIELDS + 2]!;
    const d = directions[k]! & (DIRECTION_COUNT - 1);
    const c = DIRECTIONS[2 * d]!;
    const s = DIRECTIONS[2 * d + 1]!;
    const inside = x >= reach && y >= reach && x + reach < width && y + reach < height;
    // Each test point's pixel index: rotated, then (off the fast path) clamped into the image.
    for (let p = 0; p < tests * 2; p++) {
      const px = pattern[2 * p]!;
      const py = pattern[2 * p + 1]!;
      const u = x + ((px * c - py * s + HALF) >> DIRECTION_BITS);
      const v = y + ((px * s + py * c + HALF) >> DIRECTION_BITS);
      offsets[p] = inside ? v * width + u : Math.min(Math.max(v, 0), height - 1) * width + Math.min(Math.max(u, 0), width - 1);
    }
    const base = n * height * width;
    for (let w = 0; w < words; w++) {
      let bits = 0;
      for (let b = 0; b < 32; b++) {
        const t = w * 32 + b;
        if (image[base + offsets[2 * t]!]! < image[base + offsets[2 * t + 1]!]!) bits |= 1 << b;
      }
      out[k * words + w] = bits;
    }
  }
}
