import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import type { Tensor } from '../compute/tensor.js';
import type { LabeledSample } from '../data/dataset.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import { disposeDecodedInput } from '../image/decoded-input.js';
import { preprocessImages, type PreprocessConfig } from '../image/preprocess-image.js';
import { augmentBatch, augmentedRows, type AugmentConfig } from './augment-batch.js';

/** Features of a split, row-major [rows, dim], with one class index per row. */
export interface FeatureMatrix {
  readonly features: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
  readonly dim: number;
  /** Which sample each row came from (augmented copies repeat their source). */
  readonly sampleIndex: Int32Array;
  /**
   * Sample weight per row, for the training loss; absent means all 1. Present when mixup/cutmix
   * split a copy into two rows (label a, weight λ) and (label b, 1 − λ).
   */
  readonly weights?: Float32Array;
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

interface Part {
  readonly features: Float32Array;
  readonly labels: Int32Array;
  readonly sampleIndex: Int32Array;
  readonly weights: Float32Array | null;
}

/**
 * Loads, preprocesses and featurizes samples chunk by chunk (bounded memory, one kernel dispatch
 * per step per chunk), reading each chunk's features back into one host matrix. With `augment`,
 * each chunk's copies are made on the device from the preprocessed chunk and featurized after its
 * originals; their rows follow the chunk's original rows.
 */
export async function featureMatrix(samples: readonly LabeledSample[], options: FeatureMatrixOptions): Promise<FeatureMatrix> {
  const { device, preprocess, extractor, chunkSize = 2048 } = options;
  const rng = options.augment ? new Rng(options.augment.seed) : null;
  const parts: Part[] = [];
  let dim = 0;
  for (let start = 0; start < samples.length; start += chunkSize) {
    options.signal?.throwIfAborted();
    const chunk = samples.slice(start, start + chunkSize);
    const images = await Promise.all(chunk.map((sample) => sample.load()));
    let batch: Tensor;
    try {
      batch = await preprocessImages(device, images, preprocess);
    } finally {
      images.forEach(disposeDecodedInput); // DICOM frames windowed on the device: preprocessing has its own copy
    }
    const labels = Int32Array.from(chunk, (s) => s.classIndex);
    const sampleIndex = Int32Array.from(chunk, (_, k) => start + k);
    // The copies are made before the originals are featurized: nothing the extractor does to (or
    // returns from) the batch can touch them.
    const augmented = options.augment && rng ? await augmentBatch(device, batch, options.augment.config, rng) : null;
    const original = await featurize(device, extractor, batch);
    batch.dispose();
    dim = original.dim;
    parts.push({ features: original.features, labels, sampleIndex, weights: null });
    if (augmented) {
      const { features: copyFeatures } = await featurize(device, extractor, augmented.images);
      augmented.images.dispose();
      const rows = augmentedRows(augmented.copies, labels);
      const rowFeatures = new Float32Array(rows.copy.length * dim);
      rows.copy.forEach((k, r) => rowFeatures.set(copyFeatures.subarray(k * dim, (k + 1) * dim), r * dim));
      parts.push({ features: rowFeatures, labels: rows.labels, sampleIndex: rows.source.map((i) => start + i), weights: rows.weights });
    }
    options.onChunk?.(Math.min(start + chunkSize, samples.length), samples.length);
  }
  return assemble(parts, dim);
}

/** Features [n, dim] of a batch, read back to the host (the batch stays the caller's to free). */
async function featurize(device: Device, extractor: FeatureExtractor, batch: Tensor): Promise<{ features: Float32Array; dim: number }> {
  const features = await extractor.transform(batch);
  const host = (await device.read(features)) as Float32Array;
  const dim = features.shape[1]!;
  features.dispose();
  return { features: host, dim };
}

function assemble(parts: readonly Part[], dim: number): FeatureMatrix {
  const rows = parts.reduce((sum, p) => sum + p.labels.length, 0);
  const weighted = parts.some((p) => p.weights?.some((w) => w !== 1));
  const matrix = { features: new Float32Array(rows * dim), labels: new Int32Array(rows), sampleIndex: new Int32Array(rows), rows, dim, ...(weighted ? { weights: new Float32Array(rows).fill(1) } : {}) };
  let row = 0;
  for (const part of parts) {
    matrix.features.set(part.features, row * dim);
    matrix.labels.set(part.labels, row);
    matrix.sampleIndex.set(part.sampleIndex, row);
    if (matrix.weights && part.weights) matrix.weights.set(part.weights, row);
    row += part.labels.length;
  }
  return matrix;
}
