import type { PipelineConfig } from '../../config/schema.js';
import { augmentationEnabled, type AugmentConfig } from '../augment-batch.js';

/**
 * Augmentation of the training split: seeded copies (flip, rotate, noise, mixup, cutmix) drawn on
 * the Device and added as extra rows before feature extraction, since heads train on frozen
 * features. Validation, test and the case index see only the original images. Null when the
 * `augment` section asks for nothing.
 */
export function trainAugmentation(config: PipelineConfig): { readonly config: AugmentConfig; readonly seed: number } | null {
  return augmentationEnabled(config.augment) ? { config: config.augment, seed: config.train.seed } : null;
}
