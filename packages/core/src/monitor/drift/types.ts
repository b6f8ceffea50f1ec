import { DriftError } from '../../errors.js';

/** Every drift detector by name; `auto` runs `mmd` and `input` with a Bonferroni correction. */
export const DRIFT_METHODS = ['mmd', 'classifier', 'ks', 'psi', 'input', 'auto'] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/**
 * What one detector found on one window of live data.
 * - Tests with a p-value (mmd, ks's per-component tests, input): `threshold` is the significance
 *   level and `drifted` is `pValue < threshold` (ks: the share of drifted components > threshold).
 * - Tests with a score (classifier AUC, PSI): `drifted` is `statistic > threshold`.
 */
export interface DriftResult {
  readonly method: Exclude<DriftMethod, 'auto'>;
  readonly statistic: number;
  readonly pValue?: number;
  readonly threshold: number;
  readonly drifted: boolean;
  /** Live rows (images, predictions) the test saw. */
  readonly n: number;
  /** Method-specific figures (bandwidth, per-component p-values, ...), plain JSON. */
  readonly details?: Record<string, unknown>;
}

/** The default detector's answer: drift when any of its methods fires, each method's result inside. */
export interface AutoDriftResult {
  readonly method: 'auto';
  readonly drifted: boolean;
  readonly results: readonly DriftResult[];
  /** Methods that could not run on this data, and why (e.g. `input` over an inference log without image statistics). */
  readonly skipped?: readonly { readonly method: DriftResult['method']; readonly reason: string }[];
}

/** Rows × dim embeddings, row-major (live window or reference sample). */
export interface EmbeddingMatrix {
  readonly values: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

/** Checks that live and reference embeddings have the same width and enough rows for a two-sample test. */
export function checkTwoSamples(live: EmbeddingMatrix, reference: EmbeddingMatrix, minRows = 2): void {
  for (const [name, m] of [['live', live], ['reference', reference]] as const) {
    if (m.values.length !== m.rows * m.dim) {
      throw new DriftError('DRIFT_INVALID_DATA', `${name} embeddings hold ${m.values.length} values, not rows × dim = ${m.rows} × ${m.dim}`);
    }
    if (m.rows < minRows) throw new DriftError('DRIFT_INVALID_DATA', `${name} embeddings have ${m.rows} rows; a two-sample drift test needs at least ${minRows}`);
  }
  if (live.dim !== reference.dim) {
    throw new DriftError('DRIFT_REFERENCE_MISMATCH', `live embeddings have ${live.dim} components but the reference has ${reference.dim}; both must come from the same model`);
  }
}
