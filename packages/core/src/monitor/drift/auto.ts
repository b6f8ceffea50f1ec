import type { Device } from '../../compute/device.js';
import { DriftError } from '../../errors.js';
import { mmdDrift, type MmdOptions } from './mmd.js';
import type { AutoDriftResult, DriftResult, EmbeddingMatrix } from './types.js';

/** A detector run at a given significance level (the input detector, bound to its window and reference by the caller). */
export type DetectorAtLevel = (alpha: number) => DriftResult | Promise<DriftResult>;

export interface AutoDriftOptions {
  /** Family-wise significance level, split evenly over the methods run (Bonferroni; default 0.05). */
  readonly alpha?: number;
  /** Options of the MMD test (its alpha is set by the correction). */
  readonly mmd?: Omit<MmdOptions, 'alpha'>;
}

/**
 * The default drift check: `mmd` on the embeddings and `input` on the images themselves, each at
 * alpha / 2 (Bonferroni), drift when either fires. The input detector comes in as a function of
 * its level so this module needs nothing of its files; where there is no input to test (an
 * inference log without image statistics), `input` is `{ unavailable: reason }` and MMD alone
 * runs at the full alpha, the reason listed under `skipped`.
 */
export async function autoDrift(device: Device, live: EmbeddingMatrix, reference: EmbeddingMatrix, input: DetectorAtLevel | { readonly unavailable: string }, options: AutoDriftOptions = {}): Promise<AutoDriftResult> {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `auto alpha ${alpha} must be in (0, 1)`);
  const methods = typeof input === 'function' ? 2 : 1;
  const level = alpha / methods;
  const results: DriftResult[] = [await mmdDrift(device, live, reference, { ...options.mmd, alpha: level })];
  if (typeof input === 'function') results.push(await input(level));
  return {
    method: 'auto',
    drifted: results.some((r) => r.drifted),
    results,
    ...(typeof input === 'function' ? {} : { skipped: [{ method: 'input' as const, reason: input.unavailable }] }),
  };
}
