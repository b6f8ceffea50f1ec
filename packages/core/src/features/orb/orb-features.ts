import { orbFastScoreCpu } from '../../compute/kernels/orb-fast-score/orb-fast-score.cpu.js';
import { describe } from './brief.js';
import { smooth, type GrayImage } from './gray-image.js';
import { detectKeypoints, type Keypoint } from './keypoints.js';

function fastScores({ pixels, height, width }: GrayImage): Float32Array {
  const out = new Float32Array(pixels.length);
  orbFastScoreCpu(pixels, out, height, width);
  return out;
}

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

/**
 * ORB (Rublee et al. 2011) on one scale: oriented FAST keypoints and steered-BRIEF descriptors.
 * `scores` are the image's FAST-9 scores when a Device computed them; without, the CPU reference does.
 */
export function orbFeatures(image: GrayImage, options: OrbOptions, scores?: Float32Array): OrbFeatures {
  const keypoints = detectKeypoints(image, scores ?? fastScores(image), options.fastThreshold, options.keypoints);
  return { keypoints, descriptors: describe(smooth(image), keypoints) };
}
