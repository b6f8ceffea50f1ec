import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** Radius of the disc whose intensity centroid orients a keypoint (ORB's 31×31 patch). */
export const ORIENTATION_RADIUS = 15;
/** Orientations are one of this many directions, 2π·k/DIRECTION_COUNT (a power of two: indices wrap by a mask). */
export const DIRECTION_COUNT = 256;
/** Direction k's cosine and sine are integers scaled by 2^DIRECTION_BITS. */
export const DIRECTION_BITS = 12;
/** Values per keypoint row: image index, x, y (pixels of the level). */
export const KEYPOINT_FIELDS = 3;
/**
 * Pixel intensities enter the moments as integers: clamped to 0..255 and truncated at 1/16 of a
 * level, so both backends sum exactly the same integers (an f32 sum's order would not).
 */
export const INTENSITY_STEPS = 16;
export const MAX_INTENSITY = 255;
/** Moments are shifted right until both fit in this many bits, so that direction scores fit in i32. */
export const MOMENT_BITS = 15;

/** Half-width of the disc's row dy + R: the disc is |dx| ≤ DISC_SPAN[dy + R]. */
export const DISC_SPAN: Int32Array = Int32Array.from({ length: 2 * ORIENTATION_RADIUS + 1 }, (_, r) => Math.floor(Math.sqrt(ORIENTATION_RADIUS ** 2 - (r - ORIENTATION_RADIUS) ** 2)));

/**
 * round(2^12·cos), round(2^12·sin) of each direction, interleaved: the one table that the
 * orientation (nearest direction) and the steered BRIEF (rotation) use on both backends, computed
 * once here so that no backend's own trigonometry decides a bit.
 */
export const DIRECTIONS: Int32Array = (() => {
  const out = new Int32Array(DIRECTION_COUNT * 2);
  for (let k = 0; k < DIRECTION_COUNT; k++) {
    const angle = (2 * Math.PI * k) / DIRECTION_COUNT;
    out[2 * k] = Math.round(Math.cos(angle) * (1 << DIRECTION_BITS));
    out[2 * k + 1] = Math.round(Math.sin(angle) * (1 << DIRECTION_BITS));
  }
  return out;
})();

/** The angle in radians, in [0, 2π), of direction index k. */
export function directionAngle(k: number): number {
  return (2 * Math.PI * k) / DIRECTION_COUNT;
}

/** The WGSL constant arrays of DIRECTIONS, for the shaders that rotate by a direction index. */
export function directionsWgsl(): string {
  const cos = Array.from({ length: DIRECTION_COUNT }, (_, k) => DIRECTIONS[2 * k]);
  const sin = Array.from({ length: DIRECTION_COUNT }, (_, k) => DIRECTIONS[2 * k + 1]);
  return `
const DIRECTION_COS = array<i32, ${DIRECTION_COUNT}>(${cos.join(', ')});
const DIRECTION_SIN = array<i32, ${DIRECTION_COUNT}>(${sin.join(', ')});`;
}

/** Images [N, H, W] and keypoints [K, 3] (image, x, y) → one direction index per keypoint [K]. */
export function orbOrientationOutputs({ image, keypoints }: Specs<'image' | 'keypoints'>): Specs<'out'> {
  if (image.shape.length !== 3) throw new ShapeError(`kernel "orb-orientation": image ${formatShape(image.shape)} must be images [N, H, W]`);
  if (keypoints.shape.length !== 2 || keypoints.shape[1] !== KEYPOINT_FIELDS) {
    throw new ShapeError(`kernel "orb-orientation": keypoints ${formatShape(keypoints.shape)} must be [K, ${KEYPOINT_FIELDS}] (image, x, y)`);
  }
  return { out: { shape: [keypoints.shape[0]!], dtype: 'i32' } };
}

export function imageSize(shape: readonly number[]): { height: number; width: number } {
  return { height: shape[1]!, width: shape[2]! };
}
