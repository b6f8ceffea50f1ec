import { Rng } from '../../compute/random.js';
import type { Device } from '../../compute/device.js';
import type { Sample } from '../../data/dataset.js';
import { shuffleInPlace } from '../../data/split-samples.js';
import { disposeDecodedInput } from '../../image/decoded-input.js';
import { INPUT_HISTOGRAM_BINS, inputImageStatistics, type InputImageStatistics } from './image-statistics.js';

/** Training images summarised for the input detector (a seeded sample past this). */
export const INPUT_REFERENCE_SIZE = 2000;

/**
 * The training images as the input detector compares live images with: per image its mean,
 * spread and size (the KS tests compare these distributions), and the pooled histogram.
 */
export interface InputReference {
  /** Images summarised. */
  readonly count: number;
  readonly bins: number;
  readonly means: Float32Array;
  readonly stds: Float32Array;
  readonly widths: Float32Array;
  readonly heights: Float32Array;
  /** Per bin, the sum over images of the image's share in it: each image counts once (sums to `count`). */
  readonly histogram: Float64Array;
}

/** The reference of a list of per-image statistics. */
export function inputReferenceOf(images: readonly InputImageStatistics[]): InputReference {
  const histogram = new Float64Array(INPUT_HISTOGRAM_BINS);
  for (const image of images) image.histogram.forEach((share, bin) => (histogram[bin]! += share));
  return {
    count: images.length,
    bins: INPUT_HISTOGRAM_BINS,
    means: Float32Array.from(images, (s) => s.mean),
    stds: Float32Array.from(images, (s) => s.std),
    widths: Float32Array.from(images, (s) => s.width),
    heights: Float32Array.from(images, (s) => s.height),
    histogram,
  };
}

/**
 * The input reference of a training split: the images of a seeded sample of at most `size`
 * samples (all of them when fewer), each decoded as training decoded it, in split order.
 */
export async function computeInputReference(
  samples: readonly Sample[],
  options: { device: Device; scale: number; seed: number; size?: number },
): Promise<InputReference> {
  const size = Math.min(samples.length, options.size ?? INPUT_REFERENCE_SIZE);
  const picked = shuffleInPlace(Array.from({ length: samples.length }, (_, i) => i), new Rng(options.seed)).slice(0, size).sort((a, b) => a - b);
  const statistics: InputImageStatistics[] = [];
  for (const index of picked) {
    const image = await samples[index]!.load();
    try {
      statistics.push(await inputImageStatistics(options.device, image, options.scale));
    } finally {
      disposeDecodedInput(image);
    }
  }
  return inputReferenceOf(statistics);
}
