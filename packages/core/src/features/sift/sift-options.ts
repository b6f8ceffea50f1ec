import { FeatureError } from '../../errors.js';

/** SIFT's detector and descriptor settings (Lowe 2004; defaults are OpenCV's cv2.SIFT_create()). */
export interface SiftOptions {
  /** Most keypoints kept per image, the best by |DoG| response. */
  readonly keypoints: number;
  /** Scale levels per octave that are searched for extrema (OpenCV's nOctaveLayers, 3). */
  readonly octaveLayers: number;
  /** Minimum |DoG| contrast of a refined extremum on the 0..1 scale, divided among the layers (0.04). */
  readonly contrastThreshold: number;
  /** Largest ratio of principal curvatures kept: higher keeps more edge-like points (10). */
  readonly edgeThreshold: number;
  /** Blur of the first level of each octave (1.6). */
  readonly sigma: number;
  /** Double the image before the first octave (OpenCV's firstOctave −1): more, smaller keypoints. */
  readonly upsample: boolean;
}

export const SIFT_DEFAULTS: SiftOptions = { keypoints: 500, octaveLayers: 3, contrastThreshold: 0.04, edgeThreshold: 10, sigma: 1.6, upsample: true };

/** Length of a SIFT descriptor: 4×4 spatial cells × 8 orientation bins. */
export const SIFT_DESCRIPTOR_LENGTH = 128;

/** Throws FEATURE_OPTION_INVALID naming the first bad option. */
export function checkSiftOptions(options: SiftOptions): void {
  const checks: [keyof SiftOptions, boolean, string][] = [
    ['keypoints', Number.isInteger(options.keypoints) && options.keypoints >= 1, 'an integer ≥ 1'],
    ['octaveLayers', Number.isInteger(options.octaveLayers) && options.octaveLayers >= 1 && options.octaveLayers <= 8, 'an integer in [1, 8]'],
    ['contrastThreshold', Number.isFinite(options.contrastThreshold) && options.contrastThreshold >= 0, 'a number ≥ 0'],
    ['edgeThreshold', Number.isFinite(options.edgeThreshold) && options.edgeThreshold > 0, 'a number > 0'],
    ['sigma', Number.isFinite(options.sigma) && options.sigma > 0, 'a number > 0'],
    ['upsample', typeof options.upsample === 'boolean', 'true or false'],
  ];
  for (const [name, ok, what] of checks) if (!ok) throw new FeatureError('FEATURE_OPTION_INVALID', `sift: ${name} ${String(options[name])} must be ${what}`);
}
