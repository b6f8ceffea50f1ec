/** A Gaussian level of one image of an octave: the plane starts at `offset` of `pixels`. */
export interface LevelImage {
  readonly pixels: Float32Array;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
}

const BINS = 36;
/** Window radius and Gaussian weight in units of the keypoint's scale (OpenCV's 3·1.5 and 1.5). */
const RADIUS_FACTOR = 4.5;
const WEIGHT_FACTOR = 1.5;
/** Secondary peaks within this share of the highest one make keypoints of their own. */
const PEAK_RATIO = 0.8;

/** Gradient angle in degrees in [0, 360), y pointing up (the image's dy is up − down). */
export function gradientAngle(dy: number, dx: number): number {
  const a = (Math.atan2(dy, dx) * 180) / Math.PI;
  return a < 0 ? a + 360 : a;
}

/**
 * The dominant gradient orientations around (x, y) at scale `scale` (octave pixels), as OpenCV's
 * calcOrientationHist: 36 bins of Gaussian-weighted gradient magnitudes, smoothed by [1 4 6 4 1]/16,
 * every local peak within 80 % of the highest, each refined by a parabola through its neighbours.
 * Angles in degrees, y up, in [0, 360).
 */
export function dominantOrientations(level: LevelImage, x: number, y: number, scale: number): number[] {
  const { pixels, offset, width, height } = level;
  const radius = Math.round(RADIUS_FACTOR * scale);
  const sigma = WEIGHT_FACTOR * scale;
  const expScale = -1 / (2 * sigma * sigma);
  const raw = new Float64Array(BINS);
  for (let i = -radius; i <= radius; i++) {
    const yy = y + i;
    if (yy <= 0 || yy >= height - 1) continue;
    for (let j = -radius; j <= radius; j++) {
      const xx = x + j;
      if (xx <= 0 || xx >= width - 1) continue;
      const p = offset + yy * width + xx;
      const dx = pixels[p + 1]! - pixels[p - 1]!;
      const dy = pixels[p - width]! - pixels[p + width]!;
      let bin = Math.round((BINS / 360) * gradientAngle(dy, dx));
      if (bin >= BINS) bin -= BINS;
      raw[bin]! += Math.exp((i * i + j * j) * expScale) * Math.hypot(dx, dy);
    }
  }
  const at = (k: number) => raw[(k + BINS) % BINS]!;
  const hist = Array.from({ length: BINS }, (_, k) => (at(k - 2) + at(k + 2)) / 16 + ((at(k - 1) + at(k + 1)) * 4) / 16 + (at(k) * 6) / 16);
  const max = Math.max(...hist);
  const out: number[] = [];
  if (!(max > 0)) return out;
  for (let k = 0; k < BINS; k++) {
    const left = hist[(k + BINS - 1) % BINS]!;
    const right = hist[(k + 1) % BINS]!;
    const h = hist[k]!;
    if (h > left && h > right && h >= PEAK_RATIO * max) {
      let bin = k + (0.5 * (left - right)) / (left - 2 * h + right);
      bin = bin < 0 ? BINS + bin : bin >= BINS ? bin - BINS : bin;
      out.push((360 / BINS) * bin);
    }
  }
  return out;
}
