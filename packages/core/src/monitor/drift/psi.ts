import { DriftError } from '../../errors.js';
import type { ReferenceStatistics } from '../reference-statistics.js';
import type { DriftResult, EmbeddingMatrix } from './types.js';

/** Shares below this count as this in the PSI's log-ratio, so an empty bin adds a large but finite term (Evidently's floor). */
export const PSI_FLOOR = 1e-4;

export interface PsiOptions {
  /** Drift when the PSI exceeds this (default 0.2, the usual "significant shift"). */
  readonly threshold?: number;
}

/** Live predictions, when the window has them: class probabilities [rows × classes], row-major. */
export interface LivePredictions {
  readonly probabilities: Float32Array;
  readonly classes: number;
}

export type PsiReference = Pick<ReferenceStatistics, 'dim' | 'quantileLevels' | 'quantiles' | 'classPrior'>;

/**
 * Population stability index Σ (aᵢ − eᵢ)·ln(aᵢ/eᵢ) of live shares a against expected shares e:
 * of the predicted classes (argmax of the probabilities) against the training class prior, and
 * per component over the bins between the reference's quantiles (expected shares: the gaps
 * between the quantile levels). The statistic is the larger of the class PSI and the mean
 * component PSI; each component's PSI is in the details.
 */
export function psiDrift(live: EmbeddingMatrix, reference: PsiReference, predictions?: LivePredictions, options: PsiOptions = {}): DriftResult {
  const threshold = options.threshold ?? 0.2;
  if (!(threshold > 0)) throw new DriftError('DRIFT_OPTION_INVALID', `psi threshold ${threshold} must be > 0`);
  if (live.rows < 1 || live.values.length !== live.rows * live.dim) throw new DriftError('DRIFT_INVALID_DATA', `psi needs at least one live row of ${live.dim} values; got ${live.values.length} values for ${live.rows} rows`);
  if (live.dim !== reference.dim) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `live embeddings have ${live.dim} components but the reference has ${reference.dim}; both must come from the same model`);
  const levels = reference.quantileLevels;
  const expected = [levels[0]!, ...levels.slice(1).map((l, q) => l - levels[q]!), 1 - levels.at(-1)!];
  const componentPsi = new Float64Array(live.dim);
  const edges = new Float64Array(levels.length);
  const counts = new Float64Array(levels.length + 1);
  for (let j = 0; j < live.dim; j++) {
    for (let q = 0; q < levels.length; q++) edges[q] = reference.quantiles[q * live.dim + j]!;
    counts.fill(0);
    for (let i = 0; i < live.rows; i++) counts[binOf(edges, live.values[i * live.dim + j]!)]! += 1;
    componentPsi[j] = psi(Array.from(counts, (c) => c / live.rows), expected);
  }
  const meanComponentPsi = componentPsi.reduce((s, v) => s + v, 0) / live.dim;
  const classPsi = predictions ? predictedClassPsi(predictions, live.rows, reference.classPrior) : undefined;
  const statistic = Math.max(meanComponentPsi, classPsi ?? 0);
  return {
    method: 'psi',
    statistic,
    threshold,
    drifted: statistic > threshold,
    n: live.rows,
    details: { ...(classPsi === undefined ? {} : { classPsi }), meanComponentPsi, componentPsi: Array.from(componentPsi) },
  };
}

/** Σ (a − e)·ln(a/e) with both shares floored at PSI_FLOOR. */
export function psi(actual: readonly number[], expected: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < actual.length; k++) {
    const a = Math.max(actual[k]!, PSI_FLOOR);
    const e = Math.max(expected[k]!, PSI_FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Index of the bin of v among ascending edges: the count of edges ≤ v (numpy's searchsorted side='right'). */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function predictedClassPsi({ probabilities, classes }: LivePredictions, rows: number, prior: Float32Array): number {
  if (classes !== prior.length) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `predictions have ${classes} classes but the reference class prior has ${prior.length}`);
  if (probabilities.length !== rows * classes) throw new DriftError('DRIFT_INVALID_DATA', `predictions hold ${probabilities.length} values, not rows × classes = ${rows} × ${classes}`);
  const counts = new Float64Array(classes);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    counts[best]! += 1;
  }
  return psi(Array.from(counts, (c) => c / rows), Array.from(prior));
}
