/** A grayscale image in row-major f32, intensities on OpenCV's 8-bit scale (0..255). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/**
 * One image of a batch rescaled min–max to 0..255, so a FAST threshold means the same on
 * normalized pipeline pixels as on the 8-bit images OpenCV's is defined for (an 8-bit image that
 * spans 0..255 is unchanged). A flat image stays all zero.
 */
export function grayImage(data: ArrayLike<number>, offset: number, height: number, width: number): GrayImage {
  const size = height * width;
  let min = Infinity;
  for (let i = 0; i < size; i++) min = Math.min(min, data[offset + i]!);
  const scale = intensityScale(data, offset, size);
  const pixels = new Float32Array(size);
  for (let i = 0; i < size; i++) pixels[i] = (data[offset + i]! - min) * scale;
  return { width, height, pixels };
}

/** The factor that maps an image's intensity range onto 0..255 (0 for a flat image). */
function intensityScale(data: ArrayLike<number>, offset: number, size: number): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = data[offset + i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max > min ? 255 / (max - min) : 0;
}

/** A 5×5 binomial blur (σ ≈ 1), clamped at the borders: BRIEF compares smoothed pixels, not raw ones. */
export function smooth(image: GrayImage): GrayImage {
  const { width, height, pixels } = image;
  const taps = [1, 4, 6, 4, 1];
  const rows = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += taps[k + 2]! * pixels[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
      rows[y * width + x] = sum / 16;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += taps[k + 2]! * rows[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      out[y * width + x] = sum / 16;
    }
  }
  return { width, height, pixels: out };
}
