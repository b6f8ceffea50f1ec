import { DriftError } from '../../errors.js';
import { ksTwoSample } from '../drift/ks-two-sample.js';
import type { DriftResult } from '../drift/types.js';
import { chiSquaredHomogeneity } from './chi-squared.js';
import type { InputImageStatistics } from './image-statistics.js';
import { inputReferenceOf, type InputReference } from './input-reference.js';

export interface InputDriftOptions {
  /** Significance level of the combined (Bonferroni) test. Default 0.05. */
  readonly alpha?: number;
}

/** One of the input detector's tests, as `details.tests` lists them. */
export interface InputDriftTest {
  readonly name: 'mean' | 'std' | 'size' | 'histogram';
  readonly test: 'ks' | 'chi-squared';
  readonly statistic: number;
  /** Before the Bonferroni correction. */
  readonly pValue: number;
  readonly dof?: number;
}

/** Fewest live images the input test runs on. */
const MIN_LIVE_IMAGES = 2;

/**
 * The `input` drift detector: the images themselves, before the extractor, against the training
 * images. Four tests — two-sample KS on the per-image means, on the spreads and on the sizes
 * (pixels), and a chi-squared test of the pooled histograms — combined by Bonferroni: the
 * p-value is min(1, 4 · the smallest p), drift when it is below alpha; `statistic` is that
 * test's statistic. In the pooled histogram every image counts once, spread over its bins, so a
 * window of n images weighs n (its pixels are not independent draws; counted one by one they
 * would make any window "significant"); this keeps the chi-squared test conservative.
 * The KS p-values are exact, as scipy.stats.ks_2samp's default.
 * Embeddings built to be invariant (HOG normalises contrast) cannot see a scanner's calibration
 * drift — a darker or noisier image — and this detector can.
 */
export function inputDrift(live: readonly InputImageStatistics[], reference: InputReference | undefined, options: InputDriftOptions = {}): DriftResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `alpha ${alpha} must be between 0 and 1 (exclusive), e.g. 0.05`);
  if (!reference) {
    throw new DriftError('DRIFT_NO_INPUT_REFERENCE', 'the bundle has no input reference (statistics of its training images): it was trained before the input detector existed; retrain it to monitor input drift, or use the embedding methods (mmd, classifier, ks, psi)');
  }
  if (live.length < MIN_LIVE_IMAGES) throw new DriftError('DRIFT_INVALID_DATA', `the live window has ${live.length} images with input statistics; the input test needs at least ${MIN_LIVE_IMAGES}`);
  if (reference.count < MIN_LIVE_IMAGES) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `the input reference summarises ${reference.count} training images; the input test needs at least ${MIN_LIVE_IMAGES}`);
  const bad = live.find((s) => s.histogram.length !== reference.bins);
  if (bad) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `a live image has a histogram of ${bad.histogram.length} bins but the input reference has ${reference.bins}`);
  const window = inputReferenceOf(live);
  const pixels = (w: Float32Array, h: Float32Array): Float64Array => Float64Array.from(w, (width, i) => width * h[i]!);
  const ks = (a: ArrayLike<number>, b: ArrayLike<number>) => ksTwoSample(Float64Array.from(a), Float64Array.from(b));
  const histogram = chiSquaredHomogeneity(window.histogram, reference.histogram);
  const tests: InputDriftTest[] = [
    { name: 'mean', test: 'ks', ...ks(window.means, reference.means) },
    { name: 'std', test: 'ks', ...ks(window.stds, reference.stds) },
    { name: 'size', test: 'ks', ...ks(pixels(window.widths, window.heights), pixels(reference.widths, reference.heights)) },
    { name: 'histogram', test: 'chi-squared', statistic: histogram.statistic, pValue: histogram.pValue, dof: histogram.dof },
  ];
  const smallest = tests.reduce((best, t) => (t.pValue < best.pValue ? t : best));
  const pValue = Math.min(1, tests.length * smallest.pValue);
  return {
    method: 'input',
    statistic: smallest.statistic,
    pValue,
    threshold: alpha,
    drifted: pValue < alpha,
    n: live.length,
    details: {
      correction: 'bonferroni',
      strongest: smallest.name,
      tests,
      live: { mean: average(window.means), std: average(window.stds) },
      reference: { count: reference.count, mean: average(reference.means), std: average(reference.stds) },
    },
  };
}

function average(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : 0;
}
