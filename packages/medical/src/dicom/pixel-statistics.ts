import type { DecodedImage } from './decoded-image.js';

/** Minimum, maximum and mean of every sample of every decoded frame (stored values, before any LUT). */
export function pixelStatistics(image: Pick<DecodedImage, 'data'>): { min: number; max: number; mean: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const frame of image.data) {
    // Sum per frame first: keeps the running total exact for integer data of realistic sizes.
    let frameSum = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      frameSum += v;
    }
    sum += frameSum;
    count += frame.length;
  }
  if (count === 0) return { min: 0, max: 0, mean: 0 };
  return { min, max, mean: sum / count };
}
