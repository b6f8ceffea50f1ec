import { EvalError } from '../errors.js';
import { checkBinary, checkScores, type BinaryTargets, type Scores } from './inputs.js';
import { rocCurve } from './ranking.js';

/**
 * Decision thresholds for a positive-class score. A sample is called positive when
 * score ≥ threshold; candidate thresholds are the distinct scores of the data the threshold is
 * chosen on (usually the validation split), so the reported sensitivity and specificity are exactly
 * those of that split at the returned threshold.
 */

export interface ThresholdChoice {
  threshold: number;
  /** True-positive rate at the threshold. */
  sensitivity: number;
  /** True-negative rate at the threshold (1 − false-positive rate). */
  specificity: number;
}

export type ThresholdStrategy =
  | { strategy: 'none' }
  | { strategy: 'youden' }
  | { strategy: 'target-sensitivity'; targetSensitivity: number };

function definedRoc(what: string, targets: BinaryTargets, scores: Scores) {
  const curve = rocCurve(targets, scores);
  if (Number.isNaN(curve.tpr[0]) || Number.isNaN(curve.fpr[0])) {
    throw new EvalError('EVAL_UNDEFINED', `${what}: the targets hold ${Number.isNaN(curve.tpr[0]) ? 'no positive' : 'no negative'} sample, so sensitivity and specificity are not both defined`);
  }
  return curve;
}

/**
 * The threshold maximising Youden's J = sensitivity + specificity − 1. Among equal J the highest
 * threshold (the most specific one) wins.
 */
export function youdenThreshold(targets: BinaryTargets, scores: Scores): ThresholdChoice & { j: number } {
  const { fpr, tpr, thresholds } = definedRoc('youdenThreshold', targets, scores);
  let best = 1;
  // Rates are ratios of counts, so equal J can differ in the last bit: only a real gain moves the choice.
  for (let k = 2; k < thresholds.length; k++) if (tpr[k]! - fpr[k]! > tpr[best]! - fpr[best]! + 1e-12) best = k;
  return { threshold: thresholds[best]!, sensitivity: tpr[best]!, specificity: 1 - fpr[best]!, j: tpr[best]! - fpr[best]! };
}

/**
 * The threshold with the smallest false-positive rate whose sensitivity reaches `target`; among
 * thresholds with that same false-positive rate the lowest one (the most sensitive) wins, since it
 * buys sensitivity at no cost in specificity. Always exists: the lowest score gives sensitivity 1.
 */
export function thresholdForSensitivity(targets: BinaryTargets, scores: Scores, target: number): ThresholdChoice {
  if (!(target > 0 && target <= 1)) {
    throw new EvalError('EVAL_OPTION_INVALID', `thresholdForSensitivity: target sensitivity is ${target}; expected a number in (0, 1]`);
  }
  const { fpr, tpr, thresholds } = definedRoc('thresholdForSensitivity', targets, scores);
  // Walking down the thresholds the false-positive rate never falls, so the first point reaching the
  // target has the smallest one; carry on while it stays the same.
  let k = 1;
  while (tpr[k]! < target) k += 1;
  while (k + 1 < thresholds.length && fpr[k + 1] === fpr[k]) k += 1;
  return { threshold: thresholds[k]!, sensitivity: tpr[k]!, specificity: 1 - fpr[k]! };
}

/** The threshold a pipeline's `evaluate.thresholds` section asks for; null for `none` (argmax decides). */
export function selectThreshold(targets: BinaryTargets, scores: Scores, strategy: ThresholdStrategy): ThresholdChoice | null {
  switch (strategy.strategy) {
    case 'none':
      return null;
    case 'youden': {
      const { threshold, sensitivity, specificity } = youdenThreshold(targets, scores);
      return { threshold, sensitivity, specificity };
    }
    case 'target-sensitivity':
      return thresholdForSensitivity(targets, scores, strategy.targetSensitivity);
    default:
      throw new EvalError('EVAL_OPTION_INVALID', `selectThreshold: strategy is ${JSON.stringify((strategy as { strategy: unknown }).strategy)}; expected none, youden or target-sensitivity`);
  }
}

/** 1 where score ≥ threshold, else 0. */
export function applyThreshold(scores: Scores, threshold: number): Uint8Array {
  checkScores('applyThreshold', scores, false);
  return Uint8Array.from(scores, (score) => (score >= threshold ? 1 : 0));
}

/** Sensitivity and specificity of calling score ≥ threshold positive (e.g. a validation threshold on the test split); NaN for an absent class. */
export function sensitivitySpecificityAt(targets: BinaryTargets, scores: Scores, threshold: number): ThresholdChoice {
  checkBinary('sensitivitySpecificityAt', targets, scores);
  let tp = 0;
  let positives = 0;
  let tn = 0;
  let negatives = 0;
  for (let i = 0; i < targets.length; i++) {
    const called = scores[i]! >= threshold;
    if (targets[i] === 1) {
      positives += 1;
      if (called) tp += 1;
    } else {
      negatives += 1;
      if (!called) tn += 1;
    }
  }
  return { threshold, sensitivity: positives === 0 ? Number.NaN : tp / positives, specificity: negatives === 0 ? Number.NaN : tn / negatives };
}
