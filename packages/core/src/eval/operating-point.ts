import { EvalError } from '../errors.js';
import { checkLabels, checkSameLength, type Labels } from './inputs.js';
import { checkLevel, wilsonInterval, type ProportionInterval } from './wilson.js';

/**
 * What a clinical reviewer reads at an operating point: for each class against the rest, the
 * counts of true/false positives and negatives and the proportions made of them, each with its
 * Wilson interval (wilson.ts):
 *
 * - sensitivity = TP / (TP + FN), over the cases that have the class;
 * - specificity = TN / (TN + FP), over the cases that do not;
 * - PPV = TP / (TP + FP) and NPV = TN / (TN + FN), over the cases called so (they depend on the
 *   prevalence of the evaluated set, which the report states);
 * - accuracy = (TP + TN) / N of that one-vs-rest call.
 *
 * `predictions` are the decisions at the bundle's operating points (or the argmax); a referred case
 * still counts at its predicted class here, and `referralSummary` reports the referral apart.
 */

export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ClassOperatingPoint {
  label: string;
  /** Cases of this class (TP + FN). */
  support: number;
  counts: BinaryCounts;
  sensitivity: ProportionInterval;
  specificity: ProportionInterval;
  ppv: ProportionInterval;
  npv: ProportionInterval;
  accuracy: ProportionInterval;
}

export interface OperatingPointTable {
  /** Correct calls among all cases (every class). */
  accuracy: ProportionInterval;
  perClass: ClassOperatingPoint[];
}

/** The names of the proportions of a ClassOperatingPoint, in the order reports show them. */
export const OPERATING_POINT_METRICS = ['sensitivity', 'specificity', 'ppv', 'npv', 'accuracy'] as const;
export type OperatingPointMetric = (typeof OPERATING_POINT_METRICS)[number];

export interface ReferralSummary {
  /** Referred cases among all cases. */
  rate: ProportionInterval;
  /** Correct calls among the cases not referred: what the model decides alone. */
  accuracyNotReferred: ProportionInterval;
  /** Correct calls among the referred cases (low when referral catches the model's errors). */
  accuracyReferred: ProportionInterval;
}

function checkPredictions(what: string, labels: Labels, predictions: Labels, numClasses: number): void {
  checkSameLength(what, labels, predictions, 'labels', 'predictions');
  checkLabels(what, labels, numClasses);
  checkLabels(what, predictions, numClasses, 'predictions');
}

/** One-vs-rest counts of class `c`. */
export function binaryCountsOf(labels: Labels, predictions: Labels, c: number): BinaryCounts {
  const counts: BinaryCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const actual = labels[i] === c;
    const called = predictions[i] === c;
    if (actual) counts[called ? 'tp' : 'fn'] += 1;
    else counts[called ? 'fp' : 'tn'] += 1;
  }
  return counts;
}

/** Sensitivity, specificity, PPV, NPV and accuracy of every class against the rest, with Wilson intervals at `level`. */
export function operatingPointTable(labels: Labels, predictions: Labels, classes: readonly string[], level = 0.95): OperatingPointTable {
  checkLevel('operatingPointTable', level);
  checkPredictions('operatingPointTable', labels, predictions, classes.length);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) correct += 1;
  const perClass = classes.map((label, c): ClassOperatingPoint => {
    const counts = binaryCountsOf(labels, predictions, c);
    const { tp, fp, tn, fn } = counts;
    return {
      label,
      support: tp + fn,
      counts,
      sensitivity: wilsonInterval(tp, tp + fn, level),
      specificity: wilsonInterval(tn, tn + fp, level),
      ppv: wilsonInterval(tp, tp + fp, level),
      npv: wilsonInterval(tn, tn + fn, level),
      accuracy: wilsonInterval(tp + tn, labels.length, level),
    };
  });
  return { accuracy: wilsonInterval(correct, labels.length, level), perClass };
}

/** The referral rate and the accuracy of the referred and not-referred cases (`referred[i]` is 1 when case i was referred). */
export function referralSummary(labels: Labels, predictions: Labels, referred: Uint8Array, numClasses: number, level = 0.95): ReferralSummary {
  checkLevel('referralSummary', level);
  checkPredictions('referralSummary', labels, predictions, numClasses);
  checkSameLength('referralSummary', labels, referred, 'labels', 'referred');
  let referredCount = 0;
  let correctReferred = 0;
  let correctKept = 0;
  for (let i = 0; i < labels.length; i++) {
    const flag = referred[i]!;
    if (flag !== 0 && flag !== 1) throw new EvalError('EVAL_VALUE_INVALID', `referralSummary: referred[${i}] is ${flag}; expected 0 (decided) or 1 (referred)`);
    const correct = labels[i] === predictions[i] ? 1 : 0;
    if (flag === 1) {
      referredCount += 1;
      correctReferred += correct;
    } else correctKept += correct;
  }
  return {
    rate: wilsonInterval(referredCount, labels.length, level),
    accuracyNotReferred: wilsonInterval(correctKept, labels.length - referredCount, level),
    accuracyReferred: wilsonInterval(correctReferred, referredCount, level),
  };
}
