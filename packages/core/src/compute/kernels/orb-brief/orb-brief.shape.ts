import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** Values per keypoint row: image index, x, y (pixels of the level), as orb-orientation takes them. */
export const KEYPOINT_FIELDS = 3;
/** Values per test of the pattern: the first point (x, y), then the second. */
export const TEST_FIELDS = 4;

/**
 * Smoothed images [N, H, W], keypoints [K, 3] (image, x, y), their direction indices [K] and a
 * pattern of T tests [T, 4] (T a multiple of 32) → descriptors [K, T/32] of packed bits (i32 words).
 */
export function orbBriefOutputs({ image, keypoints, directions, pattern }: Specs<'image' | 'keypoints' | 'directions' | 'pattern'>): Specs<'out'> {
  if (image.shape.length !== 3) throw new ShapeError(`kernel "orb-brief": image ${formatShape(image.shape)} must be images [N, H, W]`);
  if (keypoints.shape.length !== 2 || keypoints.shape[1] !== KEYPOINT_FIELDS) {
    throw new ShapeError(`kernel "orb-brief": keypoints ${formatShape(keypoints.shape)} must be [K, ${KEYPOINT_FIELDS}] (image, x, y)`);
  }
  if (directions.shape.length !== 1 || directions.shape[0] !== keypoints.shape[0]) {
    throw new ShapeError(`kernel "orb-brief": directions ${formatShape(directions.shape)} must be [${keypoints.shape[0]}], one per keypoint`);
  }
  if (pattern.shape.length !== 2 || pattern.shape[1] !== TEST_FIELDS || pattern.shape[0]! % 32 !== 0 || pattern.shape[0] === 0) {
    throw new ShapeError(`kernel "orb-brief": pattern ${formatShape(pattern.shape)} must be [T, ${TEST_FIELDS}] tests (x1, y1, x2, y2) with T a positive multiple of 32`);
  }
  return { out: { shape: [keypoints.shape[0]!, pattern.shape[0]! / 32], dtype: 'i32' } };
}

export function imageSize(shape: readonly number[]): { images: number; height: number; width: number } {
  return { images: shape[0]!, height: shape[1]!, width: shape[2]! };
}
