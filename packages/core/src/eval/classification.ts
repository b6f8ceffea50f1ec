import { EvalError } from '../errors.js';
import { confusionMatrix, marginsOf } from './confusion-matrix.js';
import type { Labels } from './inputs.js';

/**
 * Label metrics of a single-label classifier, all derived from the confusion matrix
 * (rows = truth, columns = prediction). Conventions, chosen to match scikit-learn 1.2's defaults:
 *
 * - a ratio whose denominator is 0 (precision of a class never predicted, recall of a class absent
 *   from the labels, specificity when every sample is of the class) is 0 (`zero_division=0`);
 * - macro averages run over the classes that occur in the labels or the predictions (scikit-learn's
 *   `labels=None`), so a class absent from both does not drag the average down;
 * - balanced accuracy is the mean recall over the classes present in the labels;
 * - micro averages pool the counts of every class; for single-label data micro precision, recall
 *   and F1 all equal accuracy.
 */

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** True-negative rate of this class against the rest. */
  specificity: number;
  /** Samples whose true class is this one. */
  support: number;
  /** Samples predicted as this class. */
  predicted: number;
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

type Matrix = readonly (readonly number[])[];

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function requireSamples(what: string, total: number): void {
  if (total === 0) throw new EvalError('EVAL_UNDEFINED', `${what}: there are no samples; it is undefined for an empty set`);
}

export function accuracyFromConfusion(matrix: Matrix): number {
  const { total } = marginsOf(matrix);
  requireSamples('accuracy', total);
  let correct = 0;
  for (let c = 0; c < matrix.length; c++) correct += matrix[c]![c]!;
  return correct / total;
}

/** Mean recall over the classes present in the labels (scikit-learn `balanced_accuracy_score`). */
export function balancedAccuracyFromConfusion(matrix: Matrix): number {
  const { support, total } = marginsOf(matrix);
  requireSamples('balanced accuracy', total);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < matrix.length; c++) {
    if (support[c] === 0) continue;
    sum += matrix[c]![c]! / support[c]!;
    present += 1;
  }
  return sum / present;
}

/** Precision, recall, F1, specificity and support of every class, one against the rest. */
export function classScoresFromConfusion(matrix: Matrix): ClassScores[] {
  const { support, predicted, total } = marginsOf(matrix);
  return matrix.map((_, c) => {
    const tp = matrix[c]![c]!;
    const fp = predicted[c]! - tp;
    const fn = support[c]! - tp;
    const tn = total - tp - fp - fn;
    return {
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      // 2PR/(P+R) written in counts; 0 when the class is neither present nor predicted.
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      specificity: ratio(tn, tn + fp),
      support: support[c]!,
      predicted: predicted[c]!,
    };
  });
}

/** Unweighted mean over the classes that occur in the labels or the predictions. */
export function macroScoresFromConfusion(matrix: Matrix): AveragedScores {
  const perClass = classScoresFromConfusion(matrix);
  requireSamples('macro average', marginsOf(matrix).total);
  const present = perClass.filter((scores) => scores.support > 0 || scores.predicted > 0);
  const mean = (key: keyof AveragedScores) => present.reduce((sum, scores) => sum + scores[key], 0) / present.length;
  return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
}

/** Counts pooled over all classes: true positives / predictions, true positives / samples. */
export function microScoresFromConfusion(matrix: Matrix): AveragedScores {
  const { total } = marginsOf(matrix);
  requireSamples('micro average', total);
  let tp = 0;
  for (let c = 0; c < matrix.length; c++) tp += matrix[c]![c]!;
  // Every sample is one prediction and one truth, so pooled fp = pooled fn = total - tp.
  const precision = tp / total;
  const recall = tp / total;
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}

/** Mean over classes weighted by support (the class's share of the labels). */
export function weightedScoresFromConfusion(matrix: Matrix): AveragedScores {
  const perClass = classScoresFromConfusion(matrix);
  const { total } = marginsOf(matrix);
  requireSamples('weighted average', total);
  const mean = (key: keyof AveragedScores) => perClass.reduce((sum, scores) => sum + scores[key] * scores.support, 0) / total;
  return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
}

/**
 * Cohen's kappa: agreement beyond chance, (p_o - p_e) / (1 - p_e), with p_o the accuracy and p_e the
 * agreement expected from the margins. NaN when p_e = 1 (labels and predictions are one and the same
 * class), as scikit-learn's `cohen_kappa_score` gives.
 */
export function cohenKappaFromConfusion(matrix: Matrix): number {
  const { support, predicted, total } = marginsOf(matrix);
  requireSamples("Cohen's kappa", total);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < matrix.length; c++) {
    observed += matrix[c]![c]! / total;
    expected += (support[c]! / total) * (predicted[c]! / total);
  }
  return expected === 1 ? Number.NaN : (observed - expected) / (1 - expected);
}

// The same metrics straight from labels and predictions (Int32Array of class indices).

export function accuracy(labels: Labels, predictions: Labels, numClasses: number): number {
  return accuracyFromConfusion(confusionMatrix(labels, predictions, numClasses));
}

export function balancedAccuracy(labels: Labels, predictions: Labels, numClasses: number): number {
  return balancedAccuracyFromConfusion(confusionMatrix(labels, predictions, numClasses));
}

export function classScores(labels: Labels, predictions: Labels, numClasses: number): ClassScores[] {
  return classScoresFromConfusion(confusionMatrix(labels, predictions, numClasses));
}

/** Macro, micro and support-weighted precision, recall and F1. */
export function averagedScores(
  labels: Labels,
  predictions: Labels,
  numClasses: number,
): { macro: AveragedScores; micro: AveragedScores; weighted: AveragedScores } {
  const matrix = confusionMatrix(labels, predictions, numClasses);
  return { macro: macroScoresFromConfusion(matrix), micro: microScoresFromConfusion(matrix), weighted: weightedScoresFromConfusion(matrix) };
}

export function cohenKappa(labels: Labels, predictions: Labels, numClasses: number): number {
  return cohenKappaFromConfusion(confusionMatrix(labels, predictions, numClasses));
}
