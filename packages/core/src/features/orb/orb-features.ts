import { describe } from './brief.js';
import { smooth, type GrayImage } from './gray-image.js';
import { detectKeypoints, type Keypoint } from './keypoints.js';

export interface OrbOptions {
  /** Most keypoints kept per image (the best by Harris response). */
  readonly keypoints: number;
  /** FAST-9 threshold on the 0..255 scale. */
  readonly fastThreshold: number;
}

export interface OrbFeatures {
  readonly keypoints: readonly Keypoint[];
  /** [keypoints × DESCRIPTOR_WORDS] u32: 256 bits per keypoint. */
  readonly descriptors: Uint32Array;
}

/** ORB (Rublee et al. 2011) on one scale: oriented FAST keypoints and steered-BRIEF descriptors. */
export function orbFeatures(image: GrayImage, options: OrbOptions): OrbFeatures {
  const keypoints = detectKeypoints(image, options.fastThreshold, options.keypoints);
  return { keypoints, descriptors: describe(smooth(image), keypoints) };
}
