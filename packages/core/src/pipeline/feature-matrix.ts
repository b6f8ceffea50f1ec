import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import type { LabeledSample } from '../data/dataset.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import { preprocessImages, type PreprocessConfig } from '../image/preprocess-image.js';
import { augmentBatch, type AugmentConfig } from './augment-batch.js';

/** Features of a split, row-major [rows, dim], with one class index per row. */
export interface FeatureMatrix {
  readonly features: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
  readonly dim: number;
  /** Which sample each row came from (augmented copies repeat their source). */
  readonly sampleIndex: Int32Array;
}

export interface FeatureMatrixOptions {
  readonly device: Device;
  readonly preprocess: PreprocessConfig;
  readonly extractor: FeatureExtractor;
  /** Images per batch through preprocessing and the extractor. */
  readonly chunkSize?: number;
  /** Training split only: augmented copies are added as extra rows. */
  readonly augment?: { readonly config: AugmentConfig; readonly seed: number };
  readonly onChunk?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Loads, preprocesses and featurizes samples chunk by chunk (bounded memory, one kernel dispatch
 * per step per chunk), reading each chunk's features back into one host matrix.
 */
export async function featureMatrix(samples: readonly LabeledSample[], options: FeatureMatrixOptions): Promise<FeatureMatrix> {
  const { device, preprocess, extractor, chunkSize = 2048 } = options;
  const rng = options.augment ? new Rng(options.augment.seed) : null;
  const parts: { features: Float32Array; labels: Int32Array; sampleIndex: Int32Array }[] = [];
  let dim = 0;
  for (let start = 0; start < samples.length; start += chunkSize) {
    options.signal?.throwIfAborted();
    const chunk = samples.slice(start, start + chunkSize);
    const images = await Promise.all(chunk.map((sample) => sample.load()));
    let batch = await preprocessImages(device, images, preprocess);
    let labels: Int32Array = Int32Array.from(chunk, (s) => s.classIndex);
    let sampleIndex: Int32Array = Int32Array.from(chunk, (_, k) => start + k);
    if (options.augment && rng) {
      const [n, c, h, w] = batch.shape as [number, number, number, number];
      const host = (await device.read(batch)) as Float32Array;
      const copies = augmentBatch(host, n, [c, h, w], options.augment.config, rng);
      if (copies.sources.length > 0) {
        const all = new Float32Array(host.length + copies.images.length);
        all.set(host);
        all.set(copies.images, host.length);
        batch.dispose();
        batch = device.upload(Tensor.cpu('f32', [n + copies.sources.length, c, h, w], all));
        labels = concat(labels, Int32Array.from(copies.sources, (i) => labels[i]!));
        sampleIndex = concat(sampleIndex, Int32Array.from(copies.sources, (i) => start + i));
      }
    }
    const features = await extractor.transform(batch);
    batch.dispose();
    dim = features.shape[1]!;
    parts.push({ features: (await device.read(features)) as Float32Array, labels, sampleIndex });
    features.dispose();
    options.onChunk?.(Math.min(start + chunkSize, samples.length), samples.length);
  }
  const rows = parts.reduce((sum, p) => sum + p.labels.length, 0);
  const matrix: FeatureMatrix = { features: new Float32Array(rows * dim), labels: new Int32Array(rows), sampleIndex: new Int32Array(rows), rows, dim };
  let row = 0;
  for (const part of parts) {
    matrix.features.set(part.features, row * dim);
    matrix.labels.set(part.labels, row);
    matrix.sampleIndex.set(part.sampleIndex, row);
    row += part.labels.length;
  }
  return matrix;
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
