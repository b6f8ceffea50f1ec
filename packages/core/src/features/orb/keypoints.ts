import { ORIENTATION_RADIUS } from '../../compute/kernels/orb-orientation/orb-orientation.shape.js';
import type { GrayImage } from './gray-image.js';

/** A corner the detector kept, in pixels of its level. */
export interface Corner {
  readonly x: number;
  readonly y: number;
  /** Harris corner response (ranking). */
  readonly response: number;
}

export interface Keypoint extends Corner {
  /** Orientation in radians, in [0, 2π) (y down): the orb-orientation kernel's direction 2π·k/256. */
  readonly angle: number;
}

/** Radius of the patch orientation and descriptor read around a keypoint (ORB's 31×31 patch). */
export const PATCH_RADIUS = ORIENTATION_RADIUS;
/** Keypoints keep this far from the border, so every patch read stays inside the image. */
export const BORDER = PATCH_RADIUS + 1;
const HARRIS_K = 0.04;
const HARRIS_HALF_BLOCK = 3; // 7×7 block, as ORB's

/**
 * ORB's detector: FAST-9 corners above `threshold` (`scores` from the orb-fast-score kernel), 3×3
 * non-maximum suppression on the FAST score, ranked by the Harris response, the best `count` kept
 * (ties broken by position so the order is total). The orb-orientation kernel orients them.
 */
export function detectKeypoints(image: GrayImage, scores: Float32Array, threshold: number, count: number): Corner[] {
  const { width, height } = image;
  const candidates: Corner[] = [];
  for (let y = BORDER; y < height - BORDER; y++) {
    for (let x = BORDER; x < width - BORDER; x++) {
      const s = scores[y * width + x]!;
      if (s <= threshold || !isLocalMaximum(scores, width, x, y)) continue;
      candidates.push({ x, y, response: harrisResponse(image, x, y) });
    }
  }
  candidates.sort((a, b) => b.response - a.response || a.y - b.y || a.x - b.x);
  return candidates.slice(0, count);
}

/** Strictly above the neighbours before it and at least its neighbours after (one winner per plateau). */
function isLocalMaximum(scores: Float32Array, width: number, x: number, y: number): boolean {
  const s = scores[y * width + x]!;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      if (dx === 0 && dy === 0) continue;
      const n = scores[(y + dy) * width + x + dx]!;
      const before = dy < 0 || (dy === 0 && dx < 0);
      if (before ? n >= s : n > s) return false;
    }
  }
  return true;
}

/** Harris response det(M) − k·trace(M)² of the Sobel gradients over a 7×7 block. */
export function harrisResponse(image: GrayImage, x: number, y: number): number {
  const { width, pixels } = image;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let v = y - HARRIS_HALF_BLOCK; v <= y + HARRIS_HALF_BLOCK; v++) {
    for (let u = x - HARRIS_HALF_BLOCK; u <= x + HARRIS_HALF_BLOCK; u++) {
      // The 3×3 neighbourhood by compass point (y down); no closure per pixel in this hot loop.
      const i = v * width + u;
      const [nw, n, ne] = [pixels[i - width - 1]!, pixels[i - width]!, pixels[i - width + 1]!];
      const [w, e] = [pixels[i - 1]!, pixels[i + 1]!];
      const [sw, s, se] = [pixels[i + width - 1]!, pixels[i + width]!, pixels[i + width + 1]!];
      const gx = ne + 2 * e + se - nw - 2 * w - sw;
      const gy = sw + 2 * s + se - nw - 2 * n - ne;
      xx += gx * gx;
      yy += gy * gy;
      xy += gx * gy;
    }
  }
  return xx * yy - xy * xy - HARRIS_K * (xx + yy) * (xx + yy);
}
