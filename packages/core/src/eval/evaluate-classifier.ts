import { scalarMetricNames, type ScalarMetricName } from '../config/index.js';
import { EvalError } from '../errors.js';
import { reliabilityCurve, type ReliabilityBin } from './calibration.js';
import {
  accuracyFromConfusion,
  balancedAccuracyFromConfusion,
  classScoresFromConfusion,
  cohenKappaFromConfusion,
  macroScoresFromConfusion,
  microScoresFromConfusion,
  weightedScoresFromConfusion,
  type ClassScores,
} from './classification.js';
import { argmaxPredictions, confusionMatrix } from './confusion-matrix.js';
import { checkLabels, checkProbabilities, type Labels, type Scores } from './inputs.js';
import { binaryBrierScore, brierScore, logLoss } from './probabilistic-scores.js';
import { averagePrecisionOneVsRest, oneVsRest, rocAucOneVsRest } from './ranking.js';

/**
 * The evaluation of a classifier on one split, as the orchestrator logs it to tracking and stores it
 * in the bundle. Its scalar keys are exactly the pipeline config's metric names
 * (`scalarMetricNames`: accuracy, balanced-accuracy, precision, recall, sensitivity, specificity,
 * f1, auroc, auprc, cohen-kappa, log-loss, brier, ece), plus the F1 variants and the MCE.
 *
 * Without `positiveClass` the class-wise metrics are macro averages over classes: precision,
 * recall (= sensitivity = balanced accuracy's mean recall over present classes), specificity, f1,
 * one-vs-rest auroc and auprc; brier is the multi-class Brier score (Σ over classes).
 * With `positiveClass` they are those of that class against the rest, and brier is the binary
 * Brier score of its probability. accuracy, balanced-accuracy, cohen-kappa, log-loss and ece
 * (top-label) always cover every class. An undefined value (e.g. auroc when no class has both
 * positives and negatives, cohen-kappa when everything is one class) is NaN; `scalarMetrics`
 * leaves such values out.
 */

/** Scalar metrics reported beside the config's names. */
export const extraScalarMetricNames = ['macro-f1', 'micro-f1', 'weighted-f1', 'mce'] as const;
export type ExtraScalarMetricName = (typeof extraScalarMetricNames)[number];

/** A class's scores against the rest (classification.ts), with its name and ranking metrics. */
export interface ClassReport extends ClassScores {
  label: string;
  /** One-vs-rest ROC-AUC; NaN when the class has no sample (or every sample is of it). */
  auroc: number;
  /** One-vs-rest average precision; NaN when the class has no sample. */
  auprc: number;
}

export type ClassifierEvaluation = Record<ScalarMetricName | ExtraScalarMetricName, number> & {
  samples: number;
  classes: string[];
  positiveClass: string | null;
  /** Decision threshold on the positive class's probability; null when argmax decided. */
  threshold: number | null;
  perClass: ClassReport[];
  /** Rows = true class, columns = predicted class, in the order of `classes`. */
  confusionMatrix: number[][];
  /** Top-label reliability curve in `calibrationBins` equal-width bins. */
  reliability: ReliabilityBin[];
};

export interface EvaluateClassifierOptions {
  /** Class (a name of `classes`) the binary metrics refer to; see the `evaluate.positiveClass` config key. */
  positiveClass?: string;
  /**
   * Call the positive class when its probability is ≥ this (the threshold chosen on the val split);
   * otherwise the most probable other class. Needs `positiveClass`. Default: argmax.
   */
  threshold?: number;
  /** Bins of the ECE and reliability curve; default 15 as `evaluate.calibrationBins`. */
  calibrationBins?: number;
}

/** Predicted classes: argmax, or `positive` when its probability reaches `threshold` and the best other class otherwise. */
export function predictWithThreshold(probabilities: Scores, numClasses: number, positive: number, threshold: number): Int32Array {
  const predictions = argmaxPredictions(probabilities, numClasses);
  for (let i = 0; i < predictions.length; i++) {
    const row = i * numClasses;
    if (probabilities[row + positive]! >= threshold) {
      predictions[i] = positive;
      continue;
    }
    let best = positive === 0 ? 1 : 0;
    for (let c = 0; c < numClasses; c++) if (c !== positive && probabilities[row + c]! > probabilities[row + best]!) best = c;
    predictions[i] = best;
  }
  return predictions;
}

function positiveIndexOf(classes: readonly string[], positiveClass: string | undefined): number | null {
  if (positiveClass === undefined) return null;
  const index = classes.indexOf(positiveClass);
  if (index < 0) throw new EvalError('EVAL_CLASS_UNKNOWN', `evaluateClassifier: positiveClass "${positiveClass}" is not a class; expected one of ${classes.join(', ')}`);
  return index;
}

export function evaluateClassifier(labels: Labels, probabilities: Scores, classes: readonly string[], options: EvaluateClassifierOptions = {}): ClassifierEvaluation {
  const numClasses = classes.length;
  if (numClasses < 2) throw new EvalError('EVAL_OPTION_INVALID', `evaluateClassifier: ${numClasses} class(es) [${classes.join(', ')}]; expected at least 2`);
  checkLabels('evaluateClassifier', labels, numClasses);
  checkProbabilities('evaluateClassifier', probabilities, labels.length, numClasses, true);
  if (labels.length === 0) throw new EvalError('EVAL_UNDEFINED', 'evaluateClassifier: there are no samples; metrics are undefined for an empty split');
  const positive = positiveIndexOf(classes, options.positiveClass);
  const threshold = options.threshold ?? null;
  if (threshold !== null && (positive === null || !Number.isFinite(threshold))) {
    throw new EvalError('EVAL_OPTION_INVALID', `evaluateClassifier: threshold ${threshold} needs a positiveClass and a finite value; got positiveClass ${JSON.stringify(options.positiveClass)}`);
  }

  const predictions = threshold === null || positive === null ? argmaxPredictions(probabilities, numClasses) : predictWithThreshold(probabilities, numClasses, positive, threshold);
  const matrix = confusionMatrix(labels, predictions, numClasses);
  const perClassCounts = classScoresFromConfusion(matrix);
  const macro = macroScoresFromConfusion(matrix);
  const auroc = rocAucOneVsRest(labels, probabilities, numClasses);
  const auprc = averagePrecisionOneVsRest(labels, probabilities, numClasses);
  const calibration = reliabilityCurve(labels, probabilities, numClasses, options.calibrationBins ?? 15);

  const perClass: ClassReport[] = perClassCounts.map((scores, c) => ({ label: classes[c]!, ...scores, auroc: auroc.perClass[c]!, auprc: auprc.perClass[c]! }));
  // Macro specificity over the same classes as the other macro averages (present in labels or predictions).
  const present = perClass.filter((entry) => entry.support > 0 || entry.predicted > 0);
  const macroSpecificity = present.reduce((sum, entry) => sum + entry.specificity, 0) / present.length;

  const focus =
    positive === null
      ? { precision: macro.precision, recall: macro.recall, specificity: macroSpecificity, f1: macro.f1, auroc: auroc.macro, auprc: auprc.macro, brier: brierScore(labels, probabilities, numClasses) }
      : {
          ...perClass[positive]!,
          brier: (() => {
            const { targets, scores } = oneVsRest(labels, probabilities, numClasses, positive);
            return binaryBrierScore(targets, scores);
          })(),
        };

  return {
    accuracy: accuracyFromConfusion(matrix),
    'balanced-accuracy': balancedAccuracyFromConfusion(matrix),
    precision: focus.precision,
    recall: focus.recall,
    sensitivity: focus.recall,
    specificity: focus.specificity,
    f1: focus.f1,
    auroc: focus.auroc,
    auprc: focus.auprc,
    'cohen-kappa': cohenKappaFromConfusion(matrix),
    'log-loss': logLoss(labels, probabilities, numClasses),
    brier: focus.brier,
    ece: calibration.ece,
    'macro-f1': macro.f1,
    'micro-f1': microScoresFromConfusion(matrix).f1,
    'weighted-f1': weightedScoresFromConfusion(matrix).f1,
    mce: calibration.mce,
    samples: labels.length,
    classes: [...classes],
    positiveClass: positive === null ? null : classes[positive]!,
    threshold,
    perClass,
    confusionMatrix: matrix,
    reliability: calibration.bins,
  };
}

/**
 * The finite scalar metrics of an evaluation, for a tracker: all of them, or those among `names`
 * (e.g. the config's `evaluate.metrics`; non-scalar names such as confusion-matrix are skipped).
 */
export function scalarMetrics(evaluation: ClassifierEvaluation, names?: readonly string[]): Record<string, number> {
  const known = new Set<string>([...scalarMetricNames, ...extraScalarMetricNames]);
  const result: Record<string, number> = {};
  for (const name of names ?? [...known]) {
    if (!known.has(name)) continue;
    const value = evaluation[name as ScalarMetricName | ExtraScalarMetricName];
    if (Number.isFinite(value)) result[name] = value;
  }
  return result;
}
