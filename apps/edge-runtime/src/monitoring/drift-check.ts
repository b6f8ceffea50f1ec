import { autoDrift, DriftError, inputDrift, type AutoDriftResult, type Device, type FastMatmul, type InputImageStatistics, type ReferenceStatistics } from '@cvf/core';
import type { WindowRecord } from './drift-window.js';

export interface DriftCheckOptions {
  readonly device: Device;
  /** Matrix products of the MMD permutations on a CPU device (ONNX Runtime's MLAS). */
  readonly fastMatmul?: FastMatmul;
  /** Family-wise significance level: each method run is judged at alpha / methods run (Bonferroni). */
  readonly alpha: number;
  readonly permutations: number;
  readonly seed: number;
}

/** Fewest records with image statistics the input test runs on. */
const MIN_INPUT_ROWS = 2;

/**
 * The default drift check (`auto`) over a window of predictions: `mmd` on the features against the
 * reference sample and `input` on the images' statistics against the training images', each at
 * alpha / 2; drift when either fires. `input` is skipped, with the reason, when the bundle
 * predates the input reference or the window's records carry no image statistics.
 */
export async function checkDriftWindow(records: readonly WindowRecord[], reference: ReferenceStatistics, options: DriftCheckOptions): Promise<AutoDriftResult> {
  const dim = reference.dim;
  const misfit = records.find((r) => r.features.length !== dim);
  if (misfit) throw new DriftError('DRIFT_REFERENCE_MISMATCH', `a logged prediction has ${misfit.features.length} features but the bundle's reference has ${dim}`);
  const live = new Float32Array(records.length * dim);
  records.forEach((r, i) => live.set(r.features, i * dim));
  const images = records.flatMap((r) => (r.input ? [r.input] : [])) as InputImageStatistics[];
  const input = !reference.input
    ? { unavailable: 'the bundle has no input reference (trained before the input detector); retrain it to monitor its images' }
    : images.length < MIN_INPUT_ROWS
      ? { unavailable: `${images.length} of the window's ${records.length} records carry image statistics; the input test needs at least ${MIN_INPUT_ROWS}` }
      : (alpha: number) => inputDrift(images, reference.input, { alpha });
  return autoDrift(
    options.device,
    { values: live, rows: records.length, dim },
    { values: reference.sample, rows: reference.sampleRows, dim },
    input,
    { alpha: options.alpha, mmd: { permutations: options.permutations, seed: options.seed, ...(options.fastMatmul && { fastMatmul: options.fastMatmul }) } },
  );
}
