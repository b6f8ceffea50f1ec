import { resizeBilinearCpu } from '../../compute/kernels/resize-bilinear/resize-bilinear.cpu.js';
import type { GrayImage } from './gray-image.js';
import { BORDER } from './keypoints.js';

/** One level of ORB's image pyramid: the image shrunk by `scale` (level 0: 1). */
export interface PyramidLevel {
  readonly image: GrayImage;
  readonly scale: number;
  /** Most keypoints this level may keep. */
  readonly keypoints: number;
}

export interface PyramidOptions {
  /** Most keypoints over all levels. */
  readonly keypoints: number;
  /** Pyramid levels (OpenCV's nlevels, 8); 1 is a single scale. */
  readonly levels: number;
  /** Shrink factor between levels (OpenCV's scaleFactor, 1.2). */
  readonly scaleFactor: number;
}

/**
 * ORB's pyramid as OpenCV builds it: level l is the image resized (bilinear, half-pixel centres)
 * to round(size / scaleFactorˡ), and keeps a share of the keypoints that shrinks by 1/scaleFactor
 * per level (the last takes what is left). Levels too small to hold a patch are left out.
 * Bilinear on the host, so every backend sees the same level pixels (BRIEF's comparisons tie on
 * flat regions, where a last-bit difference would flip a bit).
 */
export function buildPyramid(image: GrayImage, options: PyramidOptions): PyramidLevel[] {
  const budgets = levelBudgets(options);
  const out: PyramidLevel[] = [];
  for (let l = 0; l < options.levels; l++) {
    const scale = options.scaleFactor ** l;
    const width = Math.round(image.width / scale);
    const height = Math.round(image.height / scale);
    if (Math.min(width, height) <= 2 * BORDER) break;
    if (l === 0) {
      out.push({ image, scale: 1, keypoints: budgets[0]! });
      continue;
    }
    const pixels = new Float32Array(width * height);
    resizeBilinearCpu({ shape: [image.height, image.width], dtype: 'f32', data: image.pixels }, { height, width }, pixels);
    out.push({ image: { width, height, pixels }, scale, keypoints: budgets[l]! });
  }
  return out;
}

/** Keypoints per level: OpenCV's nfeaturesPerLevel (a geometric series summing to `keypoints`). */
export function levelBudgets({ keypoints, levels, scaleFactor }: PyramidOptions): number[] {
  const factor = 1 / scaleFactor;
  let desired = levels === 1 ? keypoints : (keypoints * (1 - factor)) / (1 - factor ** levels);
  const out: number[] = [];
  let sum = 0;
  for (let l = 0; l < levels - 1; l++) {
    out.push(Math.round(desired));
    sum += out[l]!;
    desired *= factor;
  }
  out.push(Math.max(keypoints - sum, 0));
  return out;
}
