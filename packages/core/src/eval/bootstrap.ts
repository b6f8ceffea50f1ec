import { Rng } from '../compute/random.js';
import { EvalError } from '../errors.js';
import { evaluateClassifier, scalarMetrics, type EvaluateClassifierOptions } from './evaluate-classifier.js';
import { checkInteger, checkLabels, checkProbabilities, type Labels, type Scores } from './inputs.js';

/**
 * Percentile-bootstrap confidence intervals of the classifier metrics (the `evaluate.bootstrap`
 * config key): draw N samples with replacement `resamples` times (seeded), evaluate each resample
 * with `evaluateClassifier`, and take the (1 − level)/2 and (1 + level)/2 quantiles of each metric
 * (linear interpolation between order statistics, numpy's default). Resamples where a metric is
 * undefined (e.g. AUROC when a resample lost a class) are left out of that metric's interval.
 * Each resample costs one full evaluation (C sorts of N scores for the AUCs).
 */
export interface BootstrapOptions extends EvaluateClassifierOptions {
  resamples: number;
  /** Default 0. */
  seed?: number;
  /** Coverage of the interval; default 0.95. */
  level?: number;
  /** Metric names to report (scalar names of `evaluateClassifier`); default all. */
  metrics?: readonly string[];
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Resamples in which the metric was defined. */
  resamples: number;
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function bootstrapIntervals(labels: Labels, probabilities: Scores, classes: readonly string[], options: BootstrapOptions): Record<string, ConfidenceInterval> {
  checkInteger('bootstrapIntervals: resamples', options.resamples, 1);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new EvalError('EVAL_OPTION_INVALID', `bootstrapIntervals: level is ${level}; expected a number in (0, 1)`);
  const numClasses = classes.length;
  checkLabels('bootstrapIntervals', labels, numClasses);
  checkProbabilities('bootstrapIntervals', probabilities, labels.length, numClasses, true);
  const samples = labels.length;
  const rng = new Rng(options.seed ?? 0);
  const drawnLabels = new Int32Array(samples);
  const drawnProbabilities = new Float64Array(samples * numClasses);
  const values = new Map<string, number[]>();
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < samples; i++) {
      const pick = Math.floor(rng.next() * samples);
      drawnLabels[i] = labels[pick]!;
      for (let c = 0; c < numClasses; c++) drawnProbabilities[i * numClasses + c] = probabilities[pick * numClasses + c]!;
    }
    const evaluation = evaluateClassifier(drawnLabels, drawnProbabilities, classes, options);
    for (const [name, value] of Object.entries(scalarMetrics(evaluation, options.metrics))) {
      const list = values.get(name);
      if (list) list.push(value);
      else values.set(name, [value]);
    }
  }
  const intervals: Record<string, ConfidenceInterval> = {};
  for (const [name, list] of values) {
    list.sort((a, b) => a - b);
    intervals[name] = { low: quantileOfSorted(list, (1 - level) / 2), high: quantileOfSorted(list, (1 + level) / 2), resamples: list.length };
  }
  return intervals;
}
