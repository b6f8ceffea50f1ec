import type { Device } from '../../compute/device.js';
import { hog } from '../../compute/kernels/hog/hog.js';
import { hogFeatureLength, hogSettings, type HogAttrs, type HogSettings } from '../../compute/kernels/hog/hog.shape.js';
import { formatShape } from '../../compute/shape.js';
import type { Tensor } from '../../compute/tensor.js';
import { CvfError, FeatureError, ShapeError } from '../../errors.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';

export type HogOptions = HogAttrs;

interface HogHeader extends ComponentHeader {
  kind: 'hog';
  version: 1;
  options: HogOptions;
}

const KIND = 'hog';
const VERSION = 1;

/**
 * HOG descriptors (Dalal–Triggs) of grayscale images with the `hog` kernel: [n, H, W] or
 * [n, 1, H, W] (f32, u8 or u16) → [n, F]. Nothing to learn: `fit` only checks the data's shape.
 */
export class HogExtractor implements FeatureExtractor {
  readonly kind = KIND;
  readonly options: HogOptions;
  readonly settings: HogSettings;
  readonly device: Device;

  constructor(options: HogOptions, device: Device) {
    try {
      this.settings = hogSettings(options);
    } catch (error) {
      if (error instanceof ShapeError) throw new FeatureError('FEATURE_OPTION_INVALID', error.message.replace('kernel "hog"', 'hog'));
      throw error;
    }
    this.options = { ...options };
    this.device = device;
  }

  /** Features per image of height × width. */
  featureLength(height: number, width: number): number {
    return hogFeatureLength(height, width, this.options);
  }

  async fit(data: Tensor): Promise<this> {
    this.#images(data);
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    const { out } = await this.device.run(hog, { x: this.#images(batch) }, this.options);
    return out;
  }

  save(): Uint8Array {
    return encodeComponentState({ kind: KIND, version: VERSION, options: this.options } satisfies HogHeader);
  }

  static load(bytes: Uint8Array, device: Device): HogExtractor {
    const { header } = decodeComponentState<HogHeader>(bytes, KIND, [VERSION]);
    if (header.options === null || typeof header.options !== 'object') throw new FeatureError('FEATURE_STATE_CORRUPT', 'hog state: options are missing');
    try {
      return new HogExtractor(header.options, device);
    } catch (error) {
      if (error instanceof CvfError) throw new FeatureError('FEATURE_STATE_CORRUPT', `hog state: ${error.message}`);
      throw error;
    }
  }

  /** [n, H, W] as is; [n, 1, H, W] without its channel axis. */
  #images(batch: Tensor): Tensor {
    const shape = batch.shape;
    if (shape.length === 3) return batch;
    if (shape.length === 4 && shape[1] === 1) return batch.reshape([shape[0]!, shape[2]!, shape[3]!]);
    throw new ShapeError(`hog: batch ${formatShape(shape)} must be grayscale images [n, height, width] or [n, 1, height, width]`);
  }
}
