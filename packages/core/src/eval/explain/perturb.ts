import { scoreVariants, type PlanarImage, type PredictFn } from '../explain-input.js';
import type { Superpixels } from './superpixels.js';

/** The mean of each channel: what a switched-off superpixel shows (no edge, no texture, the image's own level). */
export function channelMeans(image: PlanarImage): Float64Array {
  const plane = image.height * image.width;
  const means = new Float64Array(image.channels);
  for (let c = 0; c < image.channels; c++) {
    let sum = 0;
    for (let p = 0; p < plane; p++) sum += image.data[c * plane + p]!;
    means[c] = sum / plane;
  }
  return means;
}

/** Writes into `target` the image with every superpixel whose `kept` entry is 0 replaced by the channel means. */
export function perturbSuperpixels(image: PlanarImage, superpixels: Superpixels, means: Float64Array, kept: Uint8Array, target: Float32Array): void {
  const plane = image.height * image.width;
  for (let c = 0; c < image.channels; c++) {
    const offset = c * plane;
    const mean = means[c]!;
    for (let p = 0; p < plane; p++) target[offset + p] = kept[superpixels.labels[p]!] ? image.data[offset + p]! : mean;
  }
}

/**
 * The score of `classIndex` on the image under each coalition: row k of `coalitions` (count ×
 * superpixels.count, 1 = kept) is one perturbed image; `batchSize` images go through `predict` at once.
 */
export function scoreCoalitions(
  what: string,
  predict: PredictFn,
  image: PlanarImage,
  superpixels: Superpixels,
  coalitions: Uint8Array,
  classIndex: number,
  batchSize: number,
): Promise<Float64Array> {
  const means = channelMeans(image);
  const m = superpixels.count;
  return scoreVariants(what, predict, image.data.length, coalitions.length / m, batchSize, classIndex, (k, target) =>
    perturbSuperpixels(image, superpixels, means, coalitions.subarray(k * m, (k + 1) * m), target),
  );
}
