import { DriftError } from '../../errors.js';
import { ksTwoSample } from './ks-two-sample.js';
import { adjustPValues, type PValueCorrection } from './multiple-testing.js';
import { checkTwoSamples, type DriftResult, type EmbeddingMatrix } from './types.js';

export interface KsOptions {
  /** Significance level of each component's corrected p-value (default 0.05). */
  readonly alpha?: number;
  /** Correction over the components (default 'bonferroni'). */
  readonly correction?: PValueCorrection;
  /** Drift when the share of drifted components exceeds this (default 0.2). */
  readonly shareThreshold?: number;
}

/**
 * Per-component two-sample Kolmogorov–Smirnov tests of live embeddings against the reference
 * sample (Evidently's "share of drifted columns"): a component drifts when its corrected p-value
 * is below alpha; the window drifts when the share of drifted components exceeds the threshold.
 * The statistic is that share; there is no single p-value (details carry each component's).
 */
export function ksDrift(live: EmbeddingMatrix, reference: EmbeddingMatrix, options: KsOptions = {}): DriftResult {
  checkTwoSamples(live, reference, 1);
  const alpha = options.alpha ?? 0.05;
  const correction = options.correction ?? 'bonferroni';
  const shareThreshold = options.shareThreshold ?? 0.2;
  if (!(alpha > 0 && alpha < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `ks alpha ${alpha} must be in (0, 1)`);
  if (!(shareThreshold >= 0 && shareThreshold < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `ks share threshold ${shareThreshold} must be in [0, 1)`);
  const { dim } = live;
  const statistics = new Float64Array(dim);
  const raw = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const { statistic, pValue } = ksTwoSample(column(live, j), column(reference, j));
    statistics[j] = statistic;
    raw[j] = pValue;
  }
  const adjusted = adjustPValues(raw, correction);
  const driftedComponents = adjusted.reduce((count, p) => count + (p < alpha ? 1 : 0), 0);
  const share = driftedComponents / dim;
  return {
    method: 'ks',
    statistic: share,
    threshold: shareThreshold,
    drifted: share > shareThreshold,
    n: live.rows,
    details: { alpha, correction, driftedComponents, components: dim, ksStatistics: Array.from(statistics), pValues: Array.from(raw), adjustedPValues: Array.from(adjusted) },
  };
}

function column(m: EmbeddingMatrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.values[i * m.dim + j]!;
  return out;
}
