import { Rng } from '../compute/random.js';
import { shuffleInPlace } from '../data/split-samples.js';
import { PipelineError } from '../errors.js';
import type { InputReference } from './input-drift/input-reference.js';

/** Quantile levels summarised per component: the tails and quartiles drift tests compare. */
export const REFERENCE_QUANTILE_LEVELS: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
/** Reference embeddings kept for two-sample tests (MMD, domain classifier). */
export const REFERENCE_SAMPLE_SIZE = 2000;

/**
 * What the training set looked like, in the space the index and head see (PCA components, or the
 * extractor's features without PCA): the reference that monitoring compares live inputs with.
 */
export interface ReferenceStatistics {
  readonly space: 'pca' | 'features';
  /** Training rows summarised (original samples, not augmented copies). */
  readonly count: number;
  readonly dim: number;
  readonly mean: Float32Array;
  /** Unbiased (n − 1) variance per component; 0 for a single row. */
  readonly variance: Float32Array;
  readonly quantileLevels: readonly number[];
  /** quantileLevels.length × dim, level-major: the q-th level of component j at q·dim + j (linear interpolation, as numpy's default). */
  readonly quantiles: Float32Array;
  /** A seeded sample of the rows, in their training order: sampleRows × dim. */
  readonly sample: Float32Array;
  readonly sampleRows: number;
  readonly sampleSeed: number;
  /** Share of each class among the rows, in class order. */
  readonly classPrior: Float32Array;
  /** Statistics of the training images themselves, for the input detector; absent in bundles trained before it. */
  readonly input?: InputReference;
}

export interface ReferenceInput {
  readonly space: ReferenceStatistics['space'];
  /** rows × dim, row-major. */
  readonly features: Float32Array;
  readonly rows: number;
  readonly dim: number;
  readonly labels: ArrayLike<number>;
  readonly classCount: number;
  readonly seed: number;
  readonly sampleSize?: number;
  readonly quantileLevels?: readonly number[];
}

export function computeReferenceStatistics(input: ReferenceInput): ReferenceStatistics {
  const { features, rows, dim, labels, classCount, seed } = input;
  if (rows < 1 || features.length !== rows * dim || labels.length !== rows) {
    throw new PipelineError('PIPELINE_FAILED', `reference statistics need at least one row with ${dim} features and a label each; got ${features.length} values and ${labels.length} labels for ${rows} rows`);
  }
  const levels = input.quantileLevels ?? REFERENCE_QUANTILE_LEVELS;
  const { mean, variance } = moments(features, rows, dim);
  const quantiles = columnQuantiles(features, rows, dim, levels);
  const sampleRows = Math.min(rows, input.sampleSize ?? REFERENCE_SAMPLE_SIZE);
  const picked = shuffleInPlace(Array.from({ length: rows }, (_, i) => i), new Rng(seed)).slice(0, sampleRows).sort((a, b) => a - b);
  const sample = new Float32Array(sampleRows * dim);
  picked.forEach((row, k) => sample.set(features.subarray(row * dim, (row + 1) * dim), k * dim));
  const classPrior = new Float32Array(classCount);
  for (let i = 0; i < rows; i++) classPrior[labels[i]!]! += 1 / rows;
  return { space: input.space, count: rows, dim, mean, variance, quantileLevels: [...levels], quantiles, sample, sampleRows, sampleSeed: seed, classPrior };
}

/** Mean and unbiased variance per column, accumulated in float64 (Welford, one pass). */
function moments(features: Float32Array, rows: number, dim: number): { mean: Float32Array; variance: Float32Array } {
  const mean = new Float64Array(dim);
  const m2 = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    const base = i * dim;
    for (let j = 0; j < dim; j++) {
      const x = features[base + j]!;
      const delta = x - mean[j]!;
      mean[j]! += delta / (i + 1);
      m2[j]! += delta * (x - mean[j]!);
    }
  }
  return { mean: Float32Array.from(mean), variance: Float32Array.from(m2, (v) => (rows > 1 ? v / (rows - 1) : 0)) };
}

function columnQuantiles(features: Float32Array, rows: number, dim: number, levels: readonly number[]): Float32Array {
  const out = new Float32Array(levels.length * dim);
  const column = new Float64Array(rows);
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < rows; i++) column[i] = features[i * dim + j]!;
    column.sort();
    levels.forEach((level, q) => {
      const h = (rows - 1) * level;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, rows - 1);
      out[q * dim + j] = column[lo]! + (h - lo) * (column[hi]! - column[lo]!);
    });
  }
  return out;
}
