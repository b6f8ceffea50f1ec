import { DIRECTION_COUNT, DIRECTIONS, DISC_SPAN, INTENSITY_STEPS, KEYPOINT_FIELDS, MAX_INTENSITY, MOMENT_BITS, ORIENTATION_RADIUS } from './orb-orientation.shape.js';

/**
 * The direction index nearest the moments' vector (mx, my): of the three directions around
 * atan2's estimate, the one with the largest integer dot product, the lowest index on ties. The
 * estimate only picks the window (the true nearest lies within half a direction of it on any
 * backend's atan2); the choice is exact integer arithmetic, so both backends agree. (0, 0): 0.
 */
export function nearestDirection(mx: number, my: number): number {
  if (mx === 0 && my === 0) return 0;
  const shift = Math.max(0, 32 - Math.clz32(Math.max(Math.abs(mx), Math.abs(my))) - MOMENT_BITS);
  const x = mx >> shift;
  const y = my >> shift;
  const estimate = Math.floor(Math.atan2(y, x) * (DIRECTION_COUNT / (2 * Math.PI)) + 0.5);
  let best = -1;
  let bestScore = -Infinity;
  for (let k = estimate - 1; k <= estimate + 1; k++) {
    const j = k & (DIRECTION_COUNT - 1);
    const score = x * DIRECTIONS[2 * j]! + y * DIRECTIONS[2 * j + 1]!;
    if (score > bestScore || (score === bestScore && j < best)) {
      best = j;
      bestScore = score;
    }
  }
  return best;
}

/**
 * ORB's orientation by the intensity centroid (Rosin): per keypoint, the first-order moments
 * m10 = Σ dx·I, m01 = Σ dy·I over the disc of radius 15 around it (y down), as exact integers
 * (I clamped to 0..255 and truncated to 1/16), then the nearest of 256 directions to (m10, m01).
 * Samples outside the image take the nearest edge pixel; the image index is clamped to the batch.
 */
export function orbOrientationCpu(image: Float32Array, keypoints: Int32Array, out: Int32Array, images: number, height: number, width: number): void {
  const R = ORIENTATION_RADIUS;
  const top = MAX_INTENSITY * INTENSITY_STEPS;
  for (let k = 0; k < out.length; k++) {
    const n = Math.min(Math.max(keypoints[k * KEYPOINT_FIELDS]!, 0), images - 1);
    const x = keypoints[k * KEYPOINT_FIELDS + 1]!;
    const y = keypoints[k * KEYPOINT_FIELDS + 2]!;
    const base = n * height * width;
    const inside = x >= R && y >= R && x + R < width && y + R < height;
    let mx = 0;
    let my = 0;
    for (let dy = -R; dy <= R; dy++) {
      const span = DISC_SPAN[dy + R]!;
      const row = base + (inside ? y + dy : Math.min(Math.max(y + dy, 0), height - 1)) * width;
      for (let dx = -span; dx <= span; dx++) {
        const v = image[row + (inside ? x + dx : Math.min(Math.max(x + dx, 0), width - 1))]!;
        const q = v <= 0 ? 0 : v >= MAX_INTENSITY ? top : (v * INTENSITY_STEPS) | 0;
        mx += dx * q;
        my += dy * q;
      }
    }
    out[k] = nearestDirection(mx, my);
  }
}
