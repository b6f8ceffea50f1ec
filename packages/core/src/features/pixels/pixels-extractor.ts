import type { Device } from '../../compute/device.js';
import { scale } from '../../compute/kernels/scale/scale.js';
import { formatShape, sizeOf } from '../../compute/shape.js';
import type { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';

export interface PixelsOptions {
  /** Multiplier applied first, e.g. 1/255 for 8-bit pixels (default 1). */
  readonly scale?: number;
  /**
   * Learn the mean and standard deviation of the scaled training pixels (over all pixels of all
   * images) in `fit`, and output (x·scale − mean) / std (default false: output x·scale).
   */
  readonly standardize?: boolean;
}

interface PixelsHeader extends ComponentHeader {
  kind: 'pixels';
  version: 1;
  scale: number;
  standardize: boolean;
  /** Fitted statistics (standardize only; null before fit). */
  mean: number | null;
  std: number | null;
}

const KIND = 'pixels';
const VERSION = 1;

/** Pixels as features: each image [n, ...] flattened to [n, F] and normalized, on the Device. */
export class PixelsExtractor implements FeatureExtractor {
  readonly kind = KIND;
  readonly options: PixelsOptions;
  readonly device: Device;
  #mean: number | null = null;
  #std: number | null = null;

  constructor(options: PixelsOptions, device: Device) {
    const factor = options.scale ?? 1;
    if (!Number.isFinite(factor) || factor === 0) throw new FeatureError('FEATURE_OPTION_INVALID', `pixels: scale ${factor} must be a finite non-zero number`);
    this.options = options;
    this.device = device;
  }

  /** The fitted mean and std of the scaled pixels (standardize), or null. */
  get statistics(): { mean: number; std: number } | null {
    return this.#mean === null || this.#std === null ? null : { mean: this.#mean, std: this.#std };
  }

  async fit(data: Tensor): Promise<this> {
    if (!this.options.standardize) return this;
    if (data.size < 2) throw new FeatureError('FEATURE_OPTION_INVALID', `pixels: standardizing needs at least 2 pixel values to fit, got ${data.size}`);
    const values = await this.device.read(data);
    const factor = this.options.scale ?? 1;
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i]! * factor;
    const mean = sum / values.length;
    let squares = 0;
    for (let i = 0; i < values.length; i++) squares += (values[i]! * factor - mean) ** 2;
    const std = Math.sqrt(squares / values.length);
    if (!(std > 0)) throw new FeatureError('FEATURE_OPTION_INVALID', `pixels: the training pixels are constant (${mean}); standardizing divides by their std, 0`);
    this.#mean = mean;
    this.#std = std;
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    if (batch.shape.length < 2) throw new ShapeError(`pixels: batch ${formatShape(batch.shape)} must be [n, ...pixels]`);
    const factor = this.options.scale ?? 1;
    let alpha = factor;
    let beta = 0;
    if (this.options.standardize) {
      const stats = this.statistics;
      if (!stats) throw new FeatureError('FEATURE_NOT_FITTED', 'pixels: standardize is on but fit(data) has not run; fit it or load a fitted state');
      alpha = factor / stats.std;
      beta = -stats.mean / stats.std;
    }
    const flat = batch.reshape([batch.shape[0]!, sizeOf(batch.shape.slice(1))]);
    const { out } = await this.device.run(scale, { x: flat }, { alpha, beta });
    return out;
  }

  save(): Uint8Array {
    const header: PixelsHeader = { kind: KIND, version: VERSION, scale: this.options.scale ?? 1, standardize: this.options.standardize ?? false, mean: this.#mean, std: this.#std };
    return encodeComponentState(header);
  }

  static load(bytes: Uint8Array, device: Device): PixelsExtractor {
    const { header } = decodeComponentState<PixelsHeader>(bytes, KIND, [VERSION]);
    const { scale: factor, standardize, mean, std } = header;
    const fitted = typeof mean === 'number' && typeof std === 'number' && std > 0;
    if (typeof factor !== 'number' || typeof standardize !== 'boolean' || (!fitted && (mean !== null || std !== null))) {
      throw new FeatureError('FEATURE_STATE_CORRUPT', 'pixels state: scale, standardize, mean or std is missing or invalid');
    }
    const extractor = new PixelsExtractor({ scale: factor, standardize }, device);
    if (fitted) {
      extractor.#mean = mean;
      extractor.#std = std;
    }
    return extractor;
  }
}
