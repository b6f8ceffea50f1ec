import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** Values per keypoint row: image index, x, y (level pixels), orientation (degrees, y up), scale (σ in level pixels). */
export const KEYPOINT_FIELDS = 5;
/** 4 × 4 cells × 8 orientation bins. */
export const DESCRIPTOR_LENGTH = 128;

/** Gaussian level [N, H, W] and keypoints [K, 5] → descriptors [K, 128]. */
export function siftDescriptorOutputs({ level, keypoints }: Specs<'level' | 'keypoints'>): Specs<'out'> {
  if (level.shape.length !== 3) throw new ShapeError(`kernel "sift-descriptor": level ${formatShape(level.shape)} must be images [N, H, W]`);
  if (keypoints.shape.length !== 2 || keypoints.shape[1] !== KEYPOINT_FIELDS) {
    throw new ShapeError(`kernel "sift-descriptor": keypoints ${formatShape(keypoints.shape)} must be [K, ${KEYPOINT_FIELDS}] (image, x, y, angle, scale)`);
  }
  return { out: { shape: [keypoints.shape[0]!, DESCRIPTOR_LENGTH], dtype: 'f32' } };
}

export function levelSize(shape: readonly number[]): { height: number; width: number } {
  return { height: shape[1]!, width: shape[2]! };
}
