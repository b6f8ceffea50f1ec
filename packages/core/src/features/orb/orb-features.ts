import { orbBriefCpu } from '../../compute/kernels/orb-brief/orb-brief.cpu.js';
import { orbFastScoreCpu } from '../../compute/kernels/orb-fast-score/orb-fast-score.cpu.js';
import { orbOrientationCpu } from '../../compute/kernels/orb-orientation/orb-orientation.cpu.js';
import { directionAngle } from '../../compute/kernels/orb-orientation/orb-orientation.shape.js';
import { BRIEF_TESTS, DESCRIPTOR_WORDS } from './brief.js';
import { smooth, type GrayImage } from './gray-image.js';
import { detectKeypoints, type Corner, type Keypoint } from './keypoints.js';
import { buildPyramid, type PyramidLevel } from './pyramid.js';

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

/** What one pyramid level gave for one image: its corners, their direction indices and descriptors. */
export interface LevelFeatures {
  readonly corners: readonly Corner[];
  /** [corners] direction indices (orb-orientation). */
  readonly directions: Int32Array;
  /** [corners × DESCRIPTOR_WORDS] (orb-brief). */
  readonly descriptors: Int32Array;
}

/** Keypoint rows [K × 3] (image, x, y) of each image's corners in turn, as the orientation and BRIEF kernels take them. */
export function keypointRows(corners: readonly (readonly Corner[])[]): Int32Array {
  const out = new Int32Array(corners.reduce((n, c) => n + c.length, 0) * 3);
  let at = 0;
  corners.forEach((list, image) => {
    for (const { x, y } of list) {
      out[at++] = image;
      out[at++] = x;
      out[at++] = y;
    }
  });
  return out;
}

/** One image's features from its levels' results, keypoints in input pixels. */
export function assembleFeatures(levels: readonly PyramidLevel[], found: readonly LevelFeatures[]): OrbFeatures {
  const keypoints: OrbKeypoint[] = [];
  const descriptors = new Uint32Array(found.reduce((n, f) => n + f.descriptors.length, 0));
  let at = 0;
  found.forEach(({ corners, directions, descriptors: part }, l) => {
    const scale = levels[l]!.scale;
    corners.forEach((c, k) => keypoints.push({ ...c, x: c.x * scale, y: c.y * scale, angle: directionAngle(directions[k]!), level: l, size: 31 * scale }));
    descriptors.set(new Uint32Array(part.buffer, part.byteOffset, part.length), at);
    at += part.length;
  });
  return { keypoints, descriptors };
}

/**
 * ORB (Rublee et al. 2011): oriented FAST keypoints and steered-BRIEF descriptors on each level of
 * an image pyramid, so a corner seen at another zoom is found again on another level. Computed on
 * the host by the kernels' CPU references (orb-fast-score, orb-orientation, orb-brief), the same
 * steps `orbFeaturesOnDevice` runs on a Device, with the same results.
 */
export function orbFeatures(image: GrayImage, options: OrbOptions): OrbFeatures {
  const levels = buildPyramid(image, options);
  return assembleFeatures(
    levels,
    levels.map(({ image: level, keypoints: budget }) => {
      const { pixels, height, width } = level;
      const scores = new Float32Array(pixels.length);
      orbFastScoreCpu(pixels, scores, height, width);
      const corners = detectKeypoints(level, scores, options.fastThreshold, budget);
      const rows = keypointRows([corners]);
      const directions = new Int32Array(corners.length);
      const descriptors = new Int32Array(corners.length * DESCRIPTOR_WORDS);
      if (corners.length > 0) {
        orbOrientationCpu(pixels, rows, directions, 1, height, width);
        orbBriefCpu(smooth(level).pixels, rows, directions, BRIEF_TESTS, descriptors, 1, height, width);
      }
      return { corners, directions, descriptors };
    }),
  );
}
