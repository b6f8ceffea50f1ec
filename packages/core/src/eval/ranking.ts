import { EvalError } from '../errors.js';
import { checkBinary, checkLabels, checkProbabilities, type BinaryTargets, type Labels, type Scores } from './inputs.js';

/**
 * Ranking metrics of a score: how well it orders positives above negatives, whatever threshold is
 * later chosen. Definitions (those of scikit-learn 1.2):
 *
 * - **ROC curve**: one point per distinct score, walking from the highest; a sample is called
 *   positive when its score is ≥ the threshold. Tied scores enter the curve together, so a tie
 *   between a positive and a negative is a diagonal step and earns half credit.
 * - **ROC-AUC**: the area under that curve by the trapezoid rule (= the Mann-Whitney probability that
 *   a random positive outscores a random negative, ties counting ½), `roc_auc_score`.
 * - **Average precision** (the PR-AUC reported as `auprc`): AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct
 *   thresholds, the step-wise area without interpolation — `average_precision_score`, not the
 *   trapezoid area under the PR curve (which over-estimates).
 * - **Multi-class**: one-vs-rest per class (class c positive, every other class negative) with the
 *   class's probability column as score; `macro` is the unweighted mean over classes,
 *   `weighted` weights by the class's support (`roc_auc_score(multi_class='ovr')`).
 * - **Undefined**: a class with no positive or no negative sample has no ROC-AUC and a class with no
 *   positive has no AP: NaN, left out of the averages (scikit-learn raises instead). An average
 *   with no defined class is NaN.
 */

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 up to 1. */
  fpr: Float64Array;
  /** True-positive rate (sensitivity) at each threshold. */
  tpr: Float64Array;
  /** Decision thresholds, highest first; the first is +Infinity (nothing called positive). */
  thresholds: Float64Array;
}

export interface PrecisionRecallCurve {
  /** Precision at each threshold, highest threshold first. */
  precision: Float64Array;
  /** Recall at each threshold, rising to 1. */
  recall: Float64Array;
  thresholds: Float64Array;
}

export interface OneVsRest {
  /** Per class; NaN where undefined. */
  perClass: number[];
  macro: number;
  weighted: number;
}

/**
 * Cumulative (false, true) positive counts at each distinct threshold, highest first. Positive and
 * negative scores are sorted apart (a native numeric sort, no comparator) and merged from the top,
 * so all samples sharing a score enter at the same threshold.
 */
function cumulativeCounts(targets: BinaryTargets, scores: Scores): { fp: number[]; tp: number[]; thresholds: number[] } {
  const positives = countPositives(targets);
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(targets.length - positives);
  for (let i = 0, p = 0, n = 0; i < targets.length; i++) {
    if (targets[i] === 1) positiveScores[p++] = scores[i]!;
    else negativeScores[n++] = scores[i]!;
  }
  positiveScores.sort();
  negativeScores.sort();
  const fp: number[] = [];
  const tp: number[] = [];
  const thresholds: number[] = [];
  let p = positiveScores.length - 1;
  let n = negativeScores.length - 1;
  while (p >= 0 || n >= 0) {
    const threshold = Math.max(p >= 0 ? positiveScores[p]! : -Infinity, n >= 0 ? negativeScores[n]! : -Infinity);
    while (p >= 0 && positiveScores[p] === threshold) p -= 1;
    while (n >= 0 && negativeScores[n] === threshold) n -= 1;
    tp.push(positiveScores.length - 1 - p);
    fp.push(negativeScores.length - 1 - n);
    thresholds.push(threshold);
  }
  return { fp, tp, thresholds };
}

function countPositives(targets: BinaryTargets): number {
  let positives = 0;
  for (let i = 0; i < targets.length; i++) positives += targets[i]!;
  return positives;
}

/** The ROC curve of a binary score, starting at (0, 0) with threshold +Infinity. Rates are NaN for an absent class. */
export function rocCurve(targets: BinaryTargets, scores: Scores): RocCurve {
  checkBinary('rocCurve', targets, scores);
  const { fp, tp, thresholds } = cumulativeCounts(targets, scores);
  const positives = countPositives(targets);
  const negatives = targets.length - positives;
  const size = thresholds.length + 1;
  const curve: RocCurve = { fpr: new Float64Array(size), tpr: new Float64Array(size), thresholds: new Float64Array(size) };
  curve.thresholds[0] = Number.POSITIVE_INFINITY;
  curve.fpr[0] = negatives === 0 ? Number.NaN : 0;
  curve.tpr[0] = positives === 0 ? Number.NaN : 0;
  for (let k = 0; k < thresholds.length; k++) {
    curve.fpr[k + 1] = fp[k]! / negatives;
    curve.tpr[k + 1] = tp[k]! / positives;
    curve.thresholds[k + 1] = thresholds[k]!;
  }
  return curve;
}

/** Area under the ROC curve (trapezoid rule); NaN when there is no positive or no negative. */
export function rocAuc(targets: BinaryTargets, scores: Scores): number {
  const { fpr, tpr } = rocCurve(targets, scores);
  if (Number.isNaN(fpr[0]) || Number.isNaN(tpr[0])) return Number.NaN;
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  return area;
}

/** Precision and recall at each distinct threshold, highest first. Empty when there is no positive. */
export function precisionRecallCurve(targets: BinaryTargets, scores: Scores): PrecisionRecallCurve {
  checkBinary('precisionRecallCurve', targets, scores);
  const positives = countPositives(targets);
  if (positives === 0) return { precision: new Float64Array(0), recall: new Float64Array(0), thresholds: new Float64Array(0) };
  const { fp, tp, thresholds } = cumulativeCounts(targets, scores);
  return {
    precision: Float64Array.from(tp, (count, k) => count / (count + fp[k]!)),
    recall: Float64Array.from(tp, (count) => count / positives),
    thresholds: Float64Array.from(thresholds),
  };
}

/** Average precision Σₙ (Rₙ − Rₙ₋₁)·Pₙ (no interpolation); NaN when there is no positive. */
export function averagePrecision(targets: BinaryTargets, scores: Scores): number {
  const { precision, recall } = precisionRecallCurve(targets, scores);
  if (recall.length === 0) return Number.NaN;
  let area = 0;
  let previousRecall = 0;
  for (let k = 0; k < recall.length; k++) {
    area += (recall[k]! - previousRecall) * precision[k]!;
    previousRecall = recall[k]!;
  }
  return area;
}

/** Class `classIndex` against the rest: 0/1 targets and that class's probability column. */
export function oneVsRest(labels: Labels, probabilities: Scores, numClasses: number, classIndex: number): { targets: Uint8Array; scores: Float64Array } {
  checkLabels('oneVsRest', labels, numClasses);
  checkProbabilities('oneVsRest', probabilities, labels.length, numClasses, false);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= numClasses) {
    throw new EvalError('EVAL_LABEL_OUT_OF_RANGE', `oneVsRest: classIndex is ${classIndex}; expected a class index in 0..${numClasses - 1}`);
  }
  return columnOf(labels, probabilities, numClasses, classIndex);
}

/** oneVsRest without the checks, for callers that made them once for every class. */
function columnOf(labels: Labels, probabilities: Scores, numClasses: number, classIndex: number): { targets: Uint8Array; scores: Float64Array } {
  const targets = new Uint8Array(labels.length);
  const scores = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    targets[i] = labels[i] === classIndex ? 1 : 0;
    scores[i] = probabilities[i * numClasses + classIndex]!;
  }
  return { targets, scores };
}

function averageOverClasses(labels: Labels, probabilities: Scores, numClasses: number, what: string, metric: (targets: BinaryTargets, scores: Scores) => number): OneVsRest {
  checkLabels(what, labels, numClasses);
  checkProbabilities(what, probabilities, labels.length, numClasses, false);
  const perClass: number[] = [];
  let sum = 0;
  let defined = 0;
  let weightedSum = 0;
  let weight = 0;
  for (let c = 0; c < numClasses; c++) {
    const { targets, scores } = columnOf(labels, probabilities, numClasses, c);
    const value = metric(targets, scores);
    perClass.push(value);
    if (Number.isNaN(value)) continue;
    const support = countPositives(targets);
    sum += value;
    defined += 1;
    weightedSum += value * support;
    weight += support;
  }
  return { perClass, macro: defined === 0 ? Number.NaN : sum / defined, weighted: weight === 0 ? Number.NaN : weightedSum / weight };
}

/** One-vs-rest ROC-AUC per class, macro and support-weighted (`roc_auc_score(multi_class='ovr')`). */
export function rocAucOneVsRest(labels: Labels, probabilities: Scores, numClasses: number): OneVsRest {
  return averageOverClasses(labels, probabilities, numClasses, 'rocAucOneVsRest', rocAuc);
}

/** One-vs-rest average precision per class, macro and support-weighted (`average_precision_score` on binarized labels). */
export function averagePrecisionOneVsRest(labels: Labels, probabilities: Scores, numClasses: number): OneVsRest {
  return averageOverClasses(labels, probabilities, numClasses, 'averagePrecisionOneVsRest', averagePrecision);
}
