import type { Device } from '../../compute/device.js';
import { formatShape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';
import { grayImage } from '../orb/gray-image.js';
import { CODEBOOK_SAMPLE_ROWS, evenlySpacedRows, fitFloatCodebook } from '../vlad/float-codebook.js';
import { checkPooling, floatWordHistogram, pooledLength, vladVector, type Pooling } from '../vlad/pooling.js';
import { siftFeatures } from './sift-features.js';
import { checkSiftOptions, SIFT_DESCRIPTOR_LENGTH, type SiftOptions } from './sift-options.js';

export interface SiftExtractorOptions extends SiftOptions {
  /** Visual words in the codebook. */
  readonly words: number;
  /** `bovw`: a histogram of words (length `words`); `vlad`: residuals per word (length `words × 128`). */
  readonly pooling: Pooling;
  /** Seed of the codebook's k-means++ start. */
  readonly seed: number;
}

interface SiftHeader extends ComponentHeader {
  kind: 'sift';
  version: 1;
  options: SiftExtractorOptions;
}

const KIND = 'sift';
const VERSION = 1;
const KMEANS_ITERATIONS = 20;
/** Images per scale-space computation. */
const CHUNK_IMAGES = 32;

/**
 * SIFT descriptors pooled into one vector per image: grayscale images [n, H, W] or [n, 1, H, W]
 * (each rescaled min–max to 0..255, as OpenCV's 8-bit input) → [n, words] (bag of visual words,
 * L1-normalised) or [n, words × 128] (VLAD, power- and L2-normalised), over a k-means codebook
 * that `fit` learns from the training descriptors. The scale space runs on the Device.
 */
export class SiftExtractor implements FeatureExtractor {
  readonly kind = KIND;
  readonly learnsFromData = true;
  readonly options: SiftExtractorOptions;
  readonly device: Device;
  #codebook: Float32Array | null;

  constructor(options: SiftExtractorOptions, device: Device, codebook: Float32Array | null = null) {
    checkSiftOptions(options);
    checkPooling(KIND, options.pooling);
    if (!Number.isInteger(options.words) || options.words < 1) throw new FeatureError('FEATURE_OPTION_INVALID', `sift: words ${options.words} must be an integer ≥ 1`);
    if (codebook && codebook.length !== options.words * SIFT_DESCRIPTOR_LENGTH) {
      throw new FeatureError('FEATURE_STATE_CORRUPT', `sift: codebook holds ${codebook.length / SIFT_DESCRIPTOR_LENGTH} words, options say ${options.words}`);
    }
    this.options = { ...options };
    this.device = device;
    this.#codebook = codebook;
  }

  get codebook(): Float32Array | null {
    return this.#codebook;
  }

  /** Length of the vectors `transform` gives. */
  get length(): number {
    return pooledLength(this.options.pooling, this.options.words, SIFT_DESCRIPTOR_LENGTH);
  }

  async fit(data: Tensor): Promise<this> {
    const all = await this.#describe(data);
    const descriptors = new Float32Array(all.reduce((n, d) => n + d.length, 0));
    let at = 0;
    for (const d of all) {
      descriptors.set(d, at);
      at += d.length;
    }
    if (descriptors.length === 0) throw new FeatureError('FEATURE_OPTION_INVALID', `sift: no keypoint in ${data.shape[0]} training images at contrastThreshold ${this.options.contrastThreshold}; lower it or use larger images`);
    this.#codebook = await fitFloatCodebook(this.device, evenlySpacedRows(descriptors, SIFT_DESCRIPTOR_LENGTH, CODEBOOK_SAMPLE_ROWS), SIFT_DESCRIPTOR_LENGTH, this.options.words, { seed: this.options.seed, iterations: KMEANS_ITERATIONS });
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    const codebook = this.#codebook;
    if (!codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'sift: transform before fit (the visual-word codebook is learnt from training images)');
    const all = await this.#describe(batch);
    const length = this.length;
    const out = new Float32Array(all.length * length);
    all.forEach((descriptors, n) => {
      const row = out.subarray(n * length, (n + 1) * length);
      if (this.options.pooling === 'vlad') vladVector(descriptors, codebook, SIFT_DESCRIPTOR_LENGTH, row);
      else floatWordHistogram(descriptors, codebook, SIFT_DESCRIPTOR_LENGTH, row);
    });
    return this.device.upload(Tensor.cpu('f32', [all.length, length], out));
  }

  save(): Uint8Array {
    if (!this.#codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'sift: save before fit');
    const header: SiftHeader = { kind: KIND, version: VERSION, options: this.options };
    return encodeComponentState(header, new Uint8Array(this.#codebook.buffer, this.#codebook.byteOffset, this.#codebook.byteLength));
  }

  static load(bytes: Uint8Array, device: Device): SiftExtractor {
    const { header, body } = decodeComponentState<SiftHeader>(bytes, KIND, [VERSION]);
    if (header.options === null || typeof header.options !== 'object') throw new FeatureError('FEATURE_STATE_CORRUPT', 'sift state: options are missing');
    if (body.length % 4 !== 0) throw new FeatureError('FEATURE_STATE_CORRUPT', `sift state: codebook of ${body.length} bytes is not whole 32-bit floats`);
    const codebook = new Float32Array(body.length / 4);
    new Uint8Array(codebook.buffer).set(body);
    return new SiftExtractor(header.options, device, codebook);
  }

  /** The descriptors [keypoints × 128] of each image of [n, H, W] or [n, 1, H, W]. */
  async #describe(batch: Tensor): Promise<Float32Array[]> {
    const shape = batch.shape;
    if (!(shape.length === 3 || (shape.length === 4 && shape[1] === 1))) {
      throw new ShapeError(`sift: batch ${formatShape(shape)} must be grayscale images [n, height, width] or [n, 1, height, width]`);
    }
    const [n, height, width] = [shape[0]!, shape[shape.length - 2]!, shape[shape.length - 1]!];
    const data = await this.device.read(batch);
    const out: Float32Array[] = [];
    // A chunk's whole scale space is held at once (about 14 planes of 4 × H × W per image): training
    // fits on up to 2,000 images, so they go through in chunks.
    for (let at = 0; at < n; at += CHUNK_IMAGES) {
      const size = Math.min(CHUNK_IMAGES, n - at);
      const scaled = new Float32Array(size * height * width);
      for (let i = 0; i < size; i++) scaled.set(grayImage(data, (at + i) * height * width, height, width).pixels, i * height * width);
      const images = this.device.upload(Tensor.cpu('f32', [size, height, width], scaled));
      try {
        for (const f of await siftFeatures(this.device, images, this.options)) out.push(f.descriptors);
      } finally {
        images.dispose();
      }
    }
    return out;
  }
}
