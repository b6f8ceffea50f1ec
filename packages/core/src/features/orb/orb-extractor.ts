import type { Device } from '../../compute/device.js';
import { orbFastScore } from '../../compute/kernels/orb-fast-score/orb-fast-score.js';
import { formatShape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';
import { DESCRIPTOR_WORDS, PATTERN_SEED } from './brief.js';
import { grayImage, intensityScale } from './gray-image.js';
import { orbFeatures, type OrbFeatures } from './orb-features.js';
import { fitCodebook, wordHistogram } from './visual-words.js';

export interface OrbExtractorOptions {
  /** Most keypoints per image. */
  readonly keypoints: number;
  /** FAST-9 threshold on the 0..255 scale (each image is rescaled min–max to it). */
  readonly fastThreshold: number;
  /** Visual words in the codebook: the length of the image vector. */
  readonly words: number;
  /** Seed of the codebook's k-means++ start. */
  readonly seed: number;
}

interface OrbHeader extends ComponentHeader {
  kind: 'orb';
  version: 1;
  options: OrbExtractorOptions;
  patternSeed: number;
}

const KIND = 'orb';
const VERSION = 1;
const KMEANS_ITERATIONS = 20;

/**
 * A bag of ORB visual words: grayscale images [n, H, W] or [n, 1, H, W] → [n, words], each row the
 * L1-normalised histogram of the image's descriptors over a codebook that `fit` learns (k-majority
 * on the training descriptors). The per-pixel FAST scores run on the Device (the orb-fast-score
 * kernel); ranking, orientation, BRIEF and the histogram on the host.
 */
export class OrbExtractor implements FeatureExtractor {
  readonly kind = KIND;
  readonly learnsFromData = true;
  readonly options: OrbExtractorOptions;
  readonly device: Device;
  #codebook: Uint32Array | null;

  constructor(options: OrbExtractorOptions, device: Device, codebook: Uint32Array | null = null) {
    for (const [name, value, min] of [['keypoints', options.keypoints, 1], ['fastThreshold', options.fastThreshold, 0], ['words', options.words, 1]] as const) {
      if (!Number.isFinite(value) || value < min || (name !== 'fastThreshold' && !Number.isInteger(value))) {
        throw new FeatureError('FEATURE_OPTION_INVALID', `orb: ${name} ${value} must be ${name === 'fastThreshold' ? 'a number ≥ 0' : 'an integer ≥ 1'}`);
      }
    }
    if (codebook && codebook.length !== options.words * DESCRIPTOR_WORDS) {
      throw new FeatureError('FEATURE_STATE_CORRUPT', `orb: codebook holds ${codebook.length / DESCRIPTOR_WORDS} words, options say ${options.words}`);
    }
    this.options = { ...options };
    this.device = device;
    this.#codebook = codebook;
  }

  get codebook(): Uint32Array | null {
    return this.#codebook;
  }

  async fit(data: Tensor): Promise<this> {
    const all = (await this.#describe(data)).map((f) => f.descriptors);
    const descriptors = new Uint32Array(all.reduce((n, d) => n + d.length, 0));
    let at = 0;
    for (const d of all) {
      descriptors.set(d, at);
      at += d.length;
    }
    if (descriptors.length === 0) throw new FeatureError('FEATURE_OPTION_INVALID', `orb: no keypoint in ${data.shape[0]} training images at fastThreshold ${this.options.fastThreshold}; lower it or use larger images`);
    this.#codebook = fitCodebook(descriptors, this.options.words, { seed: this.options.seed, iterations: KMEANS_ITERATIONS });
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    const codebook = this.#codebook;
    if (!codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'orb: transform before fit (the visual-word codebook is learnt from training images)');
    const features = await this.#describe(batch);
    const out = new Float32Array(features.length * this.options.words);
    features.forEach(({ descriptors }, n) => wordHistogram(descriptors, codebook, out.subarray(n * this.options.words, (n + 1) * this.options.words)));
    return this.device.upload(Tensor.cpu('f32', [features.length, this.options.words], out));
  }

  save(): Uint8Array {
    if (!this.#codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'orb: save before fit');
    const header: OrbHeader = { kind: KIND, version: VERSION, options: this.options, patternSeed: PATTERN_SEED };
    return encodeComponentState(header, new Uint8Array(this.#codebook.buffer, this.#codebook.byteOffset, this.#codebook.byteLength));
  }

  static load(bytes: Uint8Array, device: Device): OrbExtractor {
    const { header, body } = decodeComponentState<OrbHeader>(bytes, KIND, [VERSION]);
    if (header.options === null || typeof header.options !== 'object') throw new FeatureError('FEATURE_STATE_CORRUPT', 'orb state: options are missing');
    if (header.patternSeed !== PATTERN_SEED) throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `orb state: test pattern ${String(header.patternSeed)} is not this version's (${PATTERN_SEED})`);
    if (body.length % 4 !== 0) throw new FeatureError('FEATURE_STATE_CORRUPT', `orb state: codebook of ${body.length} bytes is not whole 32-bit words`);
    const codebook = new Uint32Array(body.length / 4);
    new Uint8Array(codebook.buffer).set(body);
    return new OrbExtractor(header.options, device, codebook);
  }

  /**
   * ORB features of each image of [n, H, W] or [n, 1, H, W]: FAST scores per pixel on the Device,
   * then keypoints and descriptors on the host (keypoint lists are ragged). The scores of the raw
   * pixels are rescaled as the image is (FAST scores scale with the intensities).
   */
  async #describe(batch: Tensor): Promise<OrbFeatures[]> {
    const shape = batch.shape;
    if (!(shape.length === 3 || (shape.length === 4 && shape[1] === 1))) {
      throw new ShapeError(`orb: batch ${formatShape(shape)} must be grayscale images [n, height, width] or [n, 1, height, width]`);
    }
    const [n, height, width] = [shape[0]!, shape[shape.length - 2]!, shape[shape.length - 1]!];
    const images = batch.reshape([n, height, width]);
    const { out } = await this.device.run(orbFastScore, { x: images }, {});
    const [data, scores] = await Promise.all([this.device.read(images), this.device.read(out)]);
    out.dispose();
    return Array.from({ length: n }, (_, i) => {
      const image = grayImage(data, i * height * width, height, width);
      const imageScores = (scores as Float32Array).slice(i * height * width, (i + 1) * height * width);
      const scale = intensityScale(data, i * height * width, height * width);
      for (let k = 0; k < imageScores.length; k++) imageScores[k]! *= scale;
      return orbFeatures(image, this.options, imageScores);
    });
  }
}
