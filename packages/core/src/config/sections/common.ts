import * as z from 'zod';

/**
 * Small field builders shared by the sections, so that the same kind of value (a probability,
 * a file path, a metric name) is validated and described the same way everywhere.
 */

/** A file or folder path. Relative paths are resolved against the folder of the config file. */
export function pathField(what: string): z.ZodString {
  return pathText().describe(`${what}; a relative path is resolved against the config file's folder`);
}

// C0 controls and DEL: no file name needs one, and a NUL makes Node's fs calls throw later.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** A non-empty path without control characters, refused here with its location rather than by fs later. */
export function pathText(): z.ZodString {
  return z
    .string()
    .min(1)
    .superRefine((path, ctx) => {
      const at = path.search(CONTROL_CHARACTER);
      if (at < 0) return;
      const codePoint = `U+${path.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`;
      ctx.addIssue({ code: 'custom', message: `a path must not contain control characters: ${codePoint} at character ${at + 1}` });
    });
}

/** A probability in [0, 1]. */
export function probability(description: string, fallback: number) {
  return z.number().min(0).max(1).default(fallback).describe(`${description} (0..1)`);
}

/** Scalar metrics, computed on the validation split during training and on the test split by `evaluate`. */
export const scalarMetricNames = [
  'accuracy',
  'balanced-accuracy',
  'precision',
  'recall',
  'sensitivity',
  'specificity',
  'f1',
  'auroc',
  'auprc',
  'cohen-kappa',
  'log-loss',
  'brier',
  'ece',
] as const;
export type ScalarMetricName = (typeof scalarMetricNames)[number];

/** Metrics a run can be steered by (early stopping, tuning): the training loss or a scalar metric. */
export const trackedMetricNames = ['loss', ...scalarMetricNames] as const;
export type TrackedMetricName = (typeof trackedMetricNames)[number];

const lowerIsBetter: ReadonlySet<TrackedMetricName> = new Set(['loss', 'log-loss', 'brier', 'ece']);

/** The natural optimisation direction of a metric: losses and calibration errors go down, the rest up. */
export function metricMode(metric: TrackedMetricName): 'min' | 'max' {
  return lowerIsBetter.has(metric) ? 'min' : 'max';
}

export const trackedMetric = z
  .enum(trackedMetricNames)
  .describe('metric measured on the validation split: loss or one of the scalar evaluation metrics');

export const metricModeField = z
  .enum(['min', 'max'])
  .optional()
  .describe("whether lower or higher is better; default: the metric's natural direction (min for loss, log-loss, brier, ece; max otherwise)");

/** Fills `mode` from the metric when the user left it out, so consumers never guess the direction. */
export function withMetricMode<T extends { metric: TrackedMetricName; mode?: 'min' | 'max' | undefined }>(value: T): T & { mode: 'min' | 'max' } {
  return { ...value, mode: value.mode ?? metricMode(value.metric) };
}
