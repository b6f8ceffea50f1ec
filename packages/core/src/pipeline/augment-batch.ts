import type { Rng } from '../compute/random.js';
import type { PipelineConfig } from '../config/schema.js';
import { PipelineError } from '../errors.js';

export type AugmentConfig = PipelineConfig['augment'];

/**
 * Heads train on frozen features, so augmentation happens once, before feature extraction: each
 * training image may add augmented copies (a flip, noise), drawn with a seeded generator.
 * Mixup, cutmix and rotation are not applied by this trainer; asking for them is an error rather
 * than a silent no-op.
 */
export function assertSupportedAugmentation(augment: AugmentConfig): void {
  const unsupported = [
    augment.rotate.probability > 0 && 'augment.rotate',
    augment.mixup.probability > 0 && 'augment.mixup',
    augment.cutmix.probability > 0 && 'augment.cutmix',
  ].filter(Boolean);
  if (unsupported.length > 0) {
    throw new PipelineError('PIPELINE_UNSUPPORTED', `${unsupported.join(', ')}: not supported by the frozen-feature trainer yet (supported: augment.flip, augment.noise); set their probability to 0`);
  }
}

export function augmentationEnabled(augment: AugmentConfig): boolean {
  return augment.flip.horizontal > 0 || augment.flip.vertical > 0 || augment.noise.probability > 0;
}

/**
 * Augmented copies of a preprocessed batch [n, C, H, W] (host, f32): for each image, with the
 * configured probabilities, a flipped and/or noisy copy. Returns the copies and the index of the
 * image each came from (to copy its label).
 */
export function augmentBatch(batch: Float32Array, n: number, shape: readonly [number, number, number], augment: AugmentConfig, rng: Rng): { images: Float32Array; sources: Int32Array } {
  const [channels, height, width] = shape;
  const item = channels * height * width;
  const copies: Float32Array[] = [];
  const sources: number[] = [];
  for (let i = 0; i < n; i++) {
    const flipH = rng.next() < augment.flip.horizontal;
    const flipV = rng.next() < augment.flip.vertical;
    const noisy = rng.next() < augment.noise.probability;
    if (!flipH && !flipV && !noisy) continue;
    const source = batch.subarray(i * item, (i + 1) * item);
    const copy = new Float32Array(item);
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) {
        const sy = flipV ? height - 1 - y : y;
        for (let x = 0; x < width; x++) {
          const sx = flipH ? width - 1 - x : x;
          copy[(c * height + y) * width + x] = source[(c * height + sy) * width + sx]!;
        }
      }
    }
    if (noisy) for (let k = 0; k < item; k++) copy[k]! += augment.noise.std * rng.normal();
    copies.push(copy);
    sources.push(i);
  }
  const images = new Float32Array(copies.length * item);
  copies.forEach((copy, k) => images.set(copy, k * item));
  return { images, sources: Int32Array.from(sources) };
}
