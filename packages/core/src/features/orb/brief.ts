import { Rng } from '../../compute/random.js';
import { popcount } from '../../compute/kernels/hamming-nearest/hamming-nearest.cpu.js';

/** Descriptor length in bits, and in 32-bit words. */
export const DESCRIPTOR_BITS = 256;
export const DESCRIPTOR_WORDS = DESCRIPTOR_BITS / 32;
/** The test pattern's seed: part of the format (a saved codebook only means something with the same pattern). */
export const PATTERN_SEED = 0x0b1e;
/** Test points lie in this disc, so after any rotation they stay within the keypoint's patch. */
const PATTERN_RADIUS = 13;

/**
 * BRIEF's test pattern, drawn once from a seeded generator: 256 pairs of points, each coordinate
 * Gaussian around the keypoint with σ = 31/5 (Calonder et al.'s G II) and kept inside the disc.
 * Our own pattern: not OpenCV's learned table.
 */
export const BRIEF_PATTERN: Int8Array = drawPattern(PATTERN_SEED);
/** The pattern as the orb-brief kernel takes it: [256 tests × (x1, y1, x2, y2)] i32. */
export const BRIEF_TESTS: Int32Array = Int32Array.from(BRIEF_PATTERN);

function drawPattern(seed: number): Int8Array {
  const rng = new Rng(seed);
  const sigma = 31 / 5;
  const out = new Int8Array(DESCRIPTOR_BITS * 4);
  const point = (): [number, number] => {
    for (;;) {
      const x = Math.round(rng.normal() * sigma);
      const y = Math.round(rng.normal() * sigma);
      if (x * x + y * y <= PATTERN_RADIUS * PATTERN_RADIUS) return [x, y];
    }
  };
  for (let i = 0; i < DESCRIPTOR_BITS; i++) {
    const a = point();
    let b = point();
    while (a[0] === b[0] && a[1] === b[1]) b = point();
    out.set([a[0], a[1], b[0], b[1]], i * 4);
  }
  return out;
}

/** Hamming distance between descriptor `i` of `a` and descriptor `j` of `b`. */
export function hamming(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  let d = 0;
  for (let w = 0; w < DESCRIPTOR_WORDS; w++) d += popcount(a[i * DESCRIPTOR_WORDS + w]! ^ b[j * DESCRIPTOR_WORDS + w]!);
  return d;
}
