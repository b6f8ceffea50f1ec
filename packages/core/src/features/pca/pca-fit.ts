import { FeatureError, NumericalError } from '../../errors.js';
import { Rng } from '../../compute/random.js';
import { centerRows, columnStats } from './column-stats.js';
import { gramAxes } from './gram-axes.js';
import { orthonormalizeRows } from './householder-qr.js';
import type { BoundMatrix, MatrixEngine } from './matrix-engine.js';
import { PARTIAL_VECTORS_FACTOR, symmetricEigen } from './symmetric-eigen.js';

/**
 * How the principal axes are found:
 * - `covariance`: the D×D covariance (one Gram product over the data) and a full symmetric
 *   eigensolver; exact, costs N·D² + O(D³).
 * - `randomized`: randomized subspace iteration (Halko, Martinsson & Tropp 2011) on the D side:
 *   a Gaussian start of C + oversamples vectors, a few power iterations (each X·Qᵀ then Yᵀ·X,
 *   re-orthonormalized by Householder QR), then Rayleigh–Ritz through the small eigensolver.
 *   Costs N·D·(C + oversamples)·(4 + 2·iterations); the choice when C ≪ D.
 * - `gram`: the N×N Gram matrix of the centered samples and the small eigensolver, then the axes
 *   Xcᵀ·u; exact, costs N²·D + O(N³): the choice when samples are fewer than features (N < D),
 *   e.g. a few hundred CT slices described by thousands of HOG features.
 * - `auto`: whichever a cost model of this machine's measured rates expects to be faster
 *   (`covariance` for Fashion-MNIST's 60000×784 → 64; `randomized` once D is in the thousands;
 *   `gram` or `randomized` — never the D×D covariance — when samples are fewer than features).
 */
export type PcaStrategy = 'auto' | 'covariance' | 'gram' | 'randomized';
export const PCA_STRATEGIES: readonly PcaStrategy[] = ['auto', 'covariance', 'gram', 'randomized'];

export interface PcaFitSettings {
  readonly components: number;
  readonly strategy?: PcaStrategy;
  /** Extra random vectors beyond `components` (randomized; default 10, as scikit-learn). */
  readonly oversamples?: number;
  /** Power iterations (randomized; default 4). */
  readonly powerIterations?: number;
  /** Seed of the random start (randomized; default 0). */
  readonly seed?: number;
}

export interface PcaFitResult {
  readonly mean: Float32Array;
  /** components × dim, row-major, unit rows, largest-magnitude entry of each positive. */
  readonly components: Float32Array;
  /** Variance along each component (divisor samples − 1, as scikit-learn). */
  readonly explainedVariance: Float64Array;
  /** Sum of all column variances (divisor samples − 1). */
  readonly totalVariance: number;
  readonly strategy: Exclude<PcaStrategy, 'auto'>;
}

/** Above this ‖mean‖² / total variance, products are taken with centered data rather than corrected for the mean after. */
const MAX_IMPLICIT_OFFSET = 64;

export async function fitPcaMatrix(x: Float32Array, rows: number, cols: number, settings: PcaFitSettings, engine: MatrixEngine): Promise<PcaFitResult> {
  const { components } = settings;
  const strategy = chooseStrategy(rows, cols, settings);
  const stats = columnStats(x, rows, cols);
  if (!Number.isFinite(stats.totalVariance) || !stats.mean.every(Number.isFinite)) {
    throw new FeatureError('FEATURE_OPTION_INVALID', `PCA: the ${rows}×${cols} data holds NaN or infinite values; PCA needs finite numbers`);
  }
  const mean = Float32Array.from(stats.mean);
  let axes: { vectors: Float64Array; variances: Float64Array };
  if (strategy === 'covariance') {
    const bound = engine.bind(x, rows, cols);
    try {
      // XᵀX − n·μμᵀ (in float64) saves a centering pass where centering is not free, unless the
      // data sits far enough from the origin for f32 products to lose its spread.
      const implicit = !engine.centersForFree && stats.offsetRatio <= MAX_IMPLICIT_OFFSET;
      const covariance = await bound.centeredGram(implicit ? new Float32Array(cols) : mean);
      if (implicit) {
        for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) covariance[i * cols + j]! -= rows * stats.mean[i]! * stats.mean[j]!;
      }
      for (let i = 0; i < covariance.length; i++) covariance[i]! /= rows - 1;
      const eigen = await withFixHint(() => symmetricEigen(covariance, cols, components), strategy, rows, cols);
      axes = { vectors: eigen.vectors, variances: eigen.values.subarray(0, components) };
    } finally {
      bound.release();
    }
  } else if (strategy === 'gram') {
    const centered = centerRows(x, rows, cols, mean);
    const bound = engine.bind(centered, rows, cols);
    try {
      axes = await withFixHint(() => gramAxes(bound, centered, rows, cols, components), strategy, rows, cols);
    } finally {
      bound.release();
    }
  } else {
    // Products with X − 1·μᵀ are X's products corrected by rank-one terms, unless the data sits so
    // far from the origin that f32 products would lose its spread to cancellation.
    const explicit = stats.offsetRatio > MAX_IMPLICIT_OFFSET;
    const bound = explicit ? engine.bind(centerRows(x, rows, cols, mean), rows, cols) : engine.bind(x, rows, cols);
    try {
      axes = await withFixHint(() => randomizedAxes(bound, rows, cols, explicit ? new Float32Array(cols) : mean, settings, engine), strategy, rows, cols);
    } finally {
      bound.release();
    }
  }
  const explainedVariance = Float64Array.from(axes.variances, (v) => Math.max(0, v));
  return { mean, components: signNormalized(axes.vectors, components, cols), explainedVariance, totalVariance: stats.totalVariance, strategy };
}

export function chooseStrategy(rows: number, cols: number, settings: PcaFitSettings): Exclude<PcaStrategy, 'auto'> {
  const { components, strategy = 'auto', oversamples = 10, powerIterations = 4 } = settings;
  const invalid = (message: string) => new FeatureError('FEATURE_OPTION_INVALID', `PCA: ${message}`);
  if (!PCA_STRATEGIES.includes(strategy)) throw invalid(`strategy "${strategy}" is not one of ${PCA_STRATEGIES.join(', ')}`);
  if (rows < 2) throw invalid(`fitting needs at least 2 samples, got ${rows}`);
  if (!Number.isInteger(components) || components < 1 || components > Math.min(rows, cols)) {
    throw invalid(`components ${components} must be an integer in [1, min(samples, dim)] = [1, ${Math.min(rows, cols)}] (${rows} samples × ${cols} features); set pca.components to at most ${Math.min(rows, cols)}`);
  }
  if (!Number.isInteger(oversamples) || oversamples < 0) throw invalid(`oversamples ${oversamples} must be a non-negative integer`);
  if (!Number.isInteger(powerIterations) || powerIterations < 0) throw invalid(`powerIterations ${powerIterations} must be a non-negative integer`);
  if (strategy !== 'auto') return strategy;
  const width = Math.min(components + oversamples, rows, cols);
  // Fewer samples than features: the D×D covariance is all waste (rank < N) and its eigensolver the slowest part.
  const candidates = rows < cols ? (['gram', 'randomized'] as const) : (['covariance', 'randomized'] as const);
  const cost = (s: Exclude<PcaStrategy, 'auto'>) => estimatedSeconds(s, rows, cols, components, width, powerIterations);
  return candidates.reduce((best, next) => (cost(next) < cost(best) ? next : best));
}

/** The same NumericalError with what to change in the pipeline to go on. */
function fixHint(error: NumericalError, strategy: Exclude<PcaStrategy, 'auto'>, rows: number, cols: number): NumericalError {
  const others = (rows < cols ? (['gram', 'randomized'] as const) : (['randomized', 'covariance'] as const)).filter((s) => s !== strategy);
  // Finite features whose products are not: every method multiplies them, so only scaling helps.
  const fix = error.details?.['nonFinite']
    ? 'the features are too large for float32 products: scale them (preprocess.normalize, or a smaller feature range) or set pca.enabled: false'
    : `set pca.method to ${others.join(' or ')}, lower pca.components, or set pca.enabled: false`;
  return new NumericalError(`PCA (method ${strategy}, ${rows} samples × ${cols} features): ${error.message}; ${fix}`, {
    cause: error,
    details: { ...error.details, method: strategy, samples: rows, features: cols },
  });
}

async function withFixHint<T>(run: () => T | Promise<T>, strategy: Exclude<PcaStrategy, 'auto'>, rows: number, cols: number): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof NumericalError ? fixHint(error, strategy, rows, cols) : error;
  }
}

// One-thread rates measured by bench/pca (AMD EPYC, onnxruntime-node MLAS): the Gram product, the
// thin products X·Qᵀ and Xᵀ·Y, and the float64 JavaScript of the tridiagonalization and of the
// QR and per-pass corrections.
const GRAM_FLOPS = 170e9;
const THIN_PRODUCT_FLOPS = 110e9;
const EIGEN_JS_FLOPS = 3e9;
const JS_FLOPS = 1e9;

/** A rough fit time, to let `auto` pick the cheaper strategy for the shape. */
function estimatedSeconds(strategy: Exclude<PcaStrategy, 'auto'>, rows: number, cols: number, components: number, width: number, powerIterations: number): number {
  if (strategy === 'gram') {
    // Centering; the N×N product; the small eigensolver; the axes Xcᵀ·U and their re-orthogonalization.
    const eigen = (4 / 3) * rows ** 3 + (components * PARTIAL_VECTORS_FACTOR > rows ? 5 * rows ** 3 : 0);
    return (2 * rows * rows * cols + 2 * rows * cols * components) / THIN_PRODUCT_FLOPS + eigen / EIGEN_JS_FLOPS + (rows * cols + 4 * components * components * cols) / JS_FLOPS;
  }
  if (strategy === 'covariance') {
    // Gram product; Householder tridiagonalization (4/3·D³); QL rotations when most vectors are wanted.
    const eigen = (4 / 3) * cols ** 3 + (components * PARTIAL_VECTORS_FACTOR > cols ? 5 * cols ** 3 : 0);
    return (2 * rows * cols * cols) / GRAM_FLOPS + eigen / EIGEN_JS_FLOPS;
  }
  // 2·(iterations + 1) + 1 thin products; per iteration a QR of width × D and two passes over Y.
  const products = 2 * (powerIterations + 1) + 1;
  const perIteration = 4 * cols * width * width + 2 * rows * width;
  return (products * 2 * rows * cols * width) / THIN_PRODUCT_FLOPS + ((powerIterations + 1) * perIteration) / JS_FLOPS;
}

async function randomizedAxes(
  bound: BoundMatrix,
  rows: number,
  cols: number,
  mean: Float32Array,
  { components, oversamples = 10, powerIterations = 4, seed = 0 }: PcaFitSettings,
  engine: MatrixEngine,
): Promise<{ vectors: Float64Array; variances: Float64Array }> {
  const width = Math.min(components + oversamples, rows, cols);
  const rng = new Rng(seed);
  // A Gaussian start needs no orthonormalizing: its rows are independent almost surely.
  let basis: Float64Array = Float64Array.from({ length: width * cols }, () => rng.normal());

  // Xc·Bᵀ = X·Bᵀ − 1·(B·μ)ᵀ, in f32 like the product itself.
  const centeredTimes = async (b: Float64Array): Promise<Float32Array> => {
    const b32 = Float32Array.from(b);
    const y = await bound.timesTransposed(b32, width);
    const shift = new Float32Array(width);
    for (let l = 0; l < width; l++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += b32[l * cols + c]! * mean[c]!;
      shift[l] = s;
    }
    for (let r = 0; r < rows; r++) for (let l = 0; l < width; l++) y[r * width + l]! -= shift[l]!;
    return y;
  };

  for (let iteration = 0; iteration <= powerIterations; iteration++) {
    // Y = Xc·Qᵀ has zero column sums, so Yᵀ·Xc = Yᵀ·X up to their rounding; subtract that too.
    const y = await centeredTimes(basis);
    const z = await bound.transposedTimes(y, width);
    const sums = new Float64Array(width);
    for (let r = 0; r < rows; r++) for (let l = 0; l < width; l++) sums[l]! += y[r * width + l]!;
    for (let l = 0; l < width; l++) for (let c = 0; c < cols; c++) z[l * cols + c]! -= sums[l]! * mean[c]!;
    basis = orthonormalizeRows(z, width, cols);
  }

  // Rayleigh–Ritz: Qᵀ·(Xcᵀ·Xc)·Q = Yᵀ·Y with Y = Xc·Qᵀ, then rotate Q by its eigenvectors.
  const y = await centeredTimes(basis);
  const small = engine.bind(y, rows, width);
  let projected: Float64Array;
  try {
    projected = await small.centeredGram(new Float32Array(width));
  } finally {
    small.release();
  }
  for (let i = 0; i < projected.length; i++) projected[i]! /= rows - 1;
  const eigen = symmetricEigen(projected, width, components);
  const vectors = new Float64Array(components * cols);
  for (let k = 0; k < components; k++) {
    for (let l = 0; l < width; l++) {
      const w = eigen.vectors[k * width + l]!;
      if (w === 0) continue;
      for (let c = 0; c < cols; c++) vectors[k * cols + c]! += w * basis[l * cols + c]!;
    }
  }
  return { vectors, variances: eigen.values.subarray(0, components) };
}

/** f32 rows with the largest-magnitude entry of each made positive: a deterministic sign. */
function signNormalized(vectors: Float64Array, count: number, cols: number): Float32Array {
  const out = new Float32Array(count * cols);
  for (let k = 0; k < count; k++) {
    let largest = 0;
    for (let c = 1; c < cols; c++) if (Math.abs(vectors[k * cols + c]!) > Math.abs(vectors[k * cols + largest]!)) largest = c;
    const sign = vectors[k * cols + largest]! < 0 ? -1 : 1;
    for (let c = 0; c < cols; c++) out[k * cols + c] = sign * vectors[k * cols + c]!;
  }
  return out;
}
