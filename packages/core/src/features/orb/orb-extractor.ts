import type { Device } from '../../compute/device.js';
import { formatShape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';
import { CODEBOOK_SAMPLE_ROWS, evenlySpacedRows, fitFloatCodebook } from '../vlad/float-codebook.js';
import { checkPooling, pooledLength, vladVector, type Pooling } from '../vlad/pooling.js';
import { DESCRIPTOR_BITS, DESCRIPTOR_WORDS, PATTERN_SEED } from './brief.js';
import { grayImage } from './gray-image.js';
import { orbFeaturesOnDevice } from './orb-device-features.js';
import type { OrbFeatures } from './orb-features.js';
import { fitCodebook, wordHistograms } from './visual-words.js';

export interface OrbExtractorOptions {
  /** Most keypoints per image. */
  readonly keypoints: number;
  /** FAST-9 threshold on the 0..255 scale (each image is rescaled min–max to it). */
  readonly fastThreshold: number;
  /** Pyramid levels (1: one scale). */
  readonly levels: number;
  /** Shrink factor between pyramid levels. */
  readonly scaleFactor: number;
  /** Visual words in the codebook. */
  readonly words: number;
  /**
   * `bovw`: histogram over a k-majority (Hamming) codebook, length `words`. `vlad`: each
   * descriptor's 256 bits as 0/1 floats, a Euclidean k-means codebook, and the residuals per word
   * (length `words × 256`), power- and L2-normalised.
   */
  readonly pooling: Pooling;
  /** Seed of the codebook's k-means++ start. */
  readonly seed: number;
}

interface OrbHeader extends ComponentHeader {
  kind: 'orb';
  version: 1 | 2 | 3;
  options: OrbExtractorOptions;
  patternSeed: number;
}

const KIND = 'orb';
/**
 * 3: orientation is one of 256 directions and BRIEF rotates by integer cosines (the Device
 * kernels'). States 1 and 2 hold codebooks fitted to continuous-angle descriptors, which these
 * kernels no longer give: loading one would pool different descriptors than it was fitted on.
 */
const VERSION = 3;
const KMEANS_ITERATIONS = 20;

/** A codebook of either pooling: Hamming words (u32 bits) or float centres of the unpacked bits. */
type Codebook = Uint32Array | Float32Array;

/** Descriptors [m × 8 u32] as 0/1 floats [m × 256], bit i of word w at column 32w + i. */
export function unpackBits(descriptors: Uint32Array): Float32Array {
  const out = new Float32Array((descriptors.length / DESCRIPTOR_WORDS) * DESCRIPTOR_BITS);
  for (let i = 0; i < out.length; i++) out[i] = (descriptors[i >> 5]! >>> (i & 31)) & 1;
  return out;
}

/**
 * ORB descriptors pooled into one vector per image: grayscale images [n, H, W] or [n, 1, H, W] →
 * [n, words] (bag of visual words) or [n, words × 256] (VLAD), over a codebook that `fit` learns
 * from the training descriptors. On the run's Device (WebGPU, or the kernels' CPU references):
 * FAST scores, orientation and steered BRIEF of every pyramid level (orbFeaturesOnDevice), and the
 * Hamming assignment of descriptors to visual words (bag of words: fit's k-majority iterations and
 * transform's histograms). On the host: the pyramid, the corner ranking, the k-majority's bitwise
 * majority update, and VLAD's residual sums.
 */
export class OrbExtractor implements FeatureExtractor {
  readonly kind = KIND;
  readonly learnsFromData = true;
  readonly options: OrbExtractorOptions;
  readonly device: Device;
  #codebook: Codebook | null;

  constructor(options: OrbExtractorOptions, device: Device, codebook: Codebook | null = null) {
    const checks: [keyof OrbExtractorOptions, boolean, string][] = [
      ['keypoints', Number.isInteger(options.keypoints) && options.keypoints >= 1, 'an integer ≥ 1'],
      ['fastThreshold', Number.isFinite(options.fastThreshold) && options.fastThreshold >= 0, 'a number ≥ 0'],
      ['levels', Number.isInteger(options.levels) && options.levels >= 1 && options.levels <= 32, 'an integer in [1, 32]'],
      ['scaleFactor', Number.isFinite(options.scaleFactor) && options.scaleFactor > 1, 'a number > 1'],
      ['words', Number.isInteger(options.words) && options.words >= 1, 'an integer ≥ 1'],
    ];
    for (const [name, ok, what] of checks) if (!ok) throw new FeatureError('FEATURE_OPTION_INVALID', `orb: ${name} ${String(options[name])} must be ${what}`);
    checkPooling(KIND, options.pooling);
    if (codebook) {
      const [type, width] = options.pooling === 'vlad' ? [Float32Array, DESCRIPTOR_BITS] : [Uint32Array, DESCRIPTOR_WORDS];
      if (!(codebook instanceof type) || codebook.length !== options.words * width) {
        throw new FeatureError('FEATURE_STATE_CORRUPT', `orb: codebook holds ${codebook.length / width} words, options say ${options.words}`);
      }
    }
    this.options = { ...options };
    this.device = device;
    this.#codebook = codebook;
  }

  get codebook(): Codebook | null {
    return this.#codebook;
  }

  /** Length of the vectors `transform` gives. */
  get length(): number {
    return pooledLength(this.options.pooling, this.options.words, DESCRIPTOR_BITS);
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
    const fitting = { seed: this.options.seed, iterations: KMEANS_ITERATIONS };
    this.#codebook =
      this.options.pooling === 'vlad'
        ? await fitFloatCodebook(this.device, unpackBits(evenlySpacedRows(descriptors, DESCRIPTOR_WORDS, CODEBOOK_SAMPLE_ROWS)), DESCRIPTOR_BITS, this.options.words, fitting)
        : await fitCodebook(this.device, descriptors, this.options.words, fitting);
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    const codebook = this.#codebook;
    if (!codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'orb: transform before fit (the visual-word codebook is learnt from training images)');
    const features = await this.#describe(batch);
    const length = this.length;
    const out = new Float32Array(features.length * length);
    if (codebook instanceof Float32Array) features.forEach(({ descriptors }, n) => vladVector(unpackBits(descriptors), codebook, DESCRIPTOR_BITS, out.subarray(n * length, (n + 1) * length)));
    else await wordHistograms(this.device, features.map((f) => f.descriptors), codebook, out);
    return this.device.upload(Tensor.cpu('f32', [features.length, length], out));
  }

  save(): Uint8Array {
    if (!this.#codebook) throw new FeatureError('FEATURE_NOT_FITTED', 'orb: save before fit');
    const header: OrbHeader = { kind: KIND, version: VERSION, options: this.options, patternSeed: PATTERN_SEED };
    return encodeComponentState(header, new Uint8Array(this.#codebook.buffer, this.#codebook.byteOffset, this.#codebook.byteLength));
  }

  static load(bytes: Uint8Array, device: Device): OrbExtractor {
    const { header, body } = decodeComponentState<OrbHeader>(bytes, KIND, [1, 2, VERSION]);
    if (header.version !== VERSION) {
      throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `orb state version ${header.version} was fitted to descriptors steered by continuous angles; this version steers by 256 directions (the Device kernels'), so its codebook would pool other descriptors than it was fitted on: train the model again`);
    }
    if (header.options === null || typeof header.options !== 'object') throw new FeatureError('FEATURE_STATE_CORRUPT', 'orb state: options are missing');
    if (header.patternSeed !== PATTERN_SEED) throw new FeatureError('FEATURE_STATE_UNSUPPORTED', `orb state: test pattern ${String(header.patternSeed)} is not this version's (${PATTERN_SEED})`);
    if (body.length % 4 !== 0) throw new FeatureError('FEATURE_STATE_CORRUPT', `orb state: codebook of ${body.length} bytes is not whole 32-bit words`);
    const { options } = header;
    const codebook = options.pooling === 'vlad' ? new Float32Array(body.length / 4) : new Uint32Array(body.length / 4);
    new Uint8Array(codebook.buffer).set(body);
    return new OrbExtractor(options, device, codebook);
  }

  /** ORB features of each image of [n, H, W] or [n, 1, H, W], each rescaled to 0..255 (see orbFeaturesOnDevice). */
  async #describe(batch: Tensor): Promise<OrbFeatures[]> {
    const shape = batch.shape;
    if (!(shape.length === 3 || (shape.length === 4 && shape[1] === 1))) {
      throw new ShapeError(`orb: batch ${formatShape(shape)} must be grayscale images [n, height, width] or [n, 1, height, width]`);
    }
    const [n, height, width] = [shape[0]!, shape[shape.length - 2]!, shape[shape.length - 1]!];
    const data = await this.device.read(batch);
    const images = Array.from({ length: n }, (_, i) => grayImage(data, i * height * width, height, width));
    return orbFeaturesOnDevice(this.device, images, this.options);
  }
}
