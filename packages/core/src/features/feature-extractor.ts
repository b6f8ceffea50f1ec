import type { Tensor } from '../compute/tensor.js';

export type FeatureExtractorKind = 'pixels' | 'hog' | 'onnx' | 'orb' | 'sift';
export const FEATURE_EXTRACTOR_KINDS: readonly FeatureExtractorKind[] = ['pixels', 'hog', 'onnx', 'orb', 'sift'];

/**
 * The component contract of a feature extractor: `fit` on training data (a no-op for fixed
 * extractors), `transform` a batch [n, ...] into features [n, F] on the extractor's Device,
 * `save` to bytes that the class's static `load` (or `loadFeatureExtractor`) reads back into an
 * extractor computing exactly the same features.
 */
export interface FeatureExtractor {
  readonly kind: FeatureExtractorKind;
  /** True when `fit` learns state from the training images (a codebook), so training must call it first. */
  readonly learnsFromData?: boolean;
  fit(data: Tensor): Promise<this>;
  transform(batch: Tensor): Promise<Tensor>;
  save(): Uint8Array;
}
