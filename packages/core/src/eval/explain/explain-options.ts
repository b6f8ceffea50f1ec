import { checkInteger } from '../inputs.js';
import type { SaliencyMap } from '../explain-input.js';
import { gridSuperpixels, type Superpixels } from './superpixels.js';

/** What LIME and kernel SHAP share: the superpixels, the sample budget, the seed. */
export interface SuperpixelOptions {
  /** About how many grid superpixels; default 36 (6 × 6). */
  segments?: number;
  /** Perturbed images scored (the model evaluations, besides the unaltered image); default 500. */
  samples?: number;
  /** Seed of the perturbations; default 0. The same seed gives the same map. */
  seed?: number;
  /** Class to explain; default the model's top class on the unaltered image. */
  classIndex?: number;
  /** Perturbed images per predict call; default 16. */
  batchSize?: number;
}

/** An explanation over superpixels: one attribution per superpixel, painted onto the pixels as `map`. */
export interface SuperpixelExplanation extends SaliencyMap {
  superpixels: Superpixels;
  attributions: Float64Array;
}

export const DEFAULT_SEGMENTS = 36;
export const DEFAULT_SAMPLES = 500;

export function resolveSuperpixelOptions(what: string, height: number, width: number, options: SuperpixelOptions): { superpixels: Superpixels; samples: number; seed: number; batchSize: number } {
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const seed = options.seed ?? 0;
  const batchSize = options.batchSize ?? 16;
  checkInteger(`${what}: samples`, samples, 1);
  checkInteger(`${what}: seed`, seed, 0);
  checkInteger(`${what}: batchSize`, batchSize, 1);
  return { superpixels: gridSuperpixels(height, width, options.segments ?? DEFAULT_SEGMENTS), samples, seed, batchSize };
}
