import { orbFastScoreCpu } from '../../compute/kernels/orb-fast-score/orb-fast-score.cpu.js';
import { describe, DESCRIPTOR_WORDS } from './brief.js';
import { smooth, type GrayImage } from './gray-image.js';
import { detectKeypoints, type Keypoint } from './keypoints.js';
import { buildPyramid, type PyramidLevel } from './pyramid.js';

/** FAST-9 scores of every pixel by the CPU reference kernel. */
function fastScores({ pixels, height, width }: GrayImage): Float32Array {
  const out = new Float32Array(pixels.length);
  orbFastScoreCpu(pixels, out, height, width);
  return out;
}

export interface OrbOptions {
  /** Most keypoints kept per image over all levels (the best by Harris response within each level). */
  readonly keypoints: number;
  /** FAST-9 threshold on the 0..255 scale. */
  readonly fastThreshold: number;
  /** Pyramid levels (OpenCV's nlevels: 8); 1 detects at the image's own scale only. */
  readonly levels: number;
  /** Shrink factor between pyramid levels (OpenCV's scaleFactor: 1.2). */
  readonly scaleFactor: number;
}

/** A keypoint in the input image's pixels, with the pyramid level it was found on. */
export interface OrbKeypoint extends Keypoint {
  readonly level: number;
  /** Side of the described patch in input pixels (31 × the level's scale, OpenCV's KeyPoint.size). */
  readonly size: number;
}

export interface OrbFeatures {
  readonly keypoints: readonly OrbKeypoint[];
  /** [keypoints × DESCRIPTOR_WORDS] u32: 256 bits per keypoint. */
  readonly descriptors: Uint32Array;
}

/**
 * ORB (Rublee et al. 2011): oriented FAST keypoints and steered-BRIEF descriptors on each level of
 * an image pyramid, so a corner seen at another zoom is found again on another level. `scores`
 * are the levels' FAST-9 scores when a Device computed them; without, the CPU reference does.
 */
export function orbFeatures(image: GrayImage, options: OrbOptions, scores?: readonly Float32Array[]): OrbFeatures {
  return orbFeaturesOfLevels(buildPyramid(image, options), options, scores);
}

/** ORB on the levels `buildPyramid` gave (see orbFeatures). */
export function orbFeaturesOfLevels(levels: readonly PyramidLevel[], options: OrbOptions, scores?: readonly Float32Array[]): OrbFeatures {
  const keypoints: OrbKeypoint[] = [];
  const parts: Uint32Array[] = [];
  levels.forEach(({ image, scale, keypoints: budget }, l) => {
    const found = detectKeypoints(image, scores?.[l] ?? fastScores(image), options.fastThreshold, budget);
    parts.push(describe(smooth(image), found));
    for (const k of found) keypoints.push({ ...k, x: k.x * scale, y: k.y * scale, level: l, size: 31 * scale });
  });
  const descriptors = new Uint32Array(keypoints.length * DESCRIPTOR_WORDS);
  let at = 0;
  for (const part of parts) {
    descriptors.set(part, at);
    at += part.length;
  }
  return { keypoints, descriptors };
}
