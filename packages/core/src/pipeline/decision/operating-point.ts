import type { OperatingPointRecord } from '../../bundle/kinds/decision.js';
import type { OperatingPointTarget } from '../../config/sections/decision.js';
import { PipelineError } from '../../errors.js';

type Reached = Omit<OperatingPointRecord, 'label' | 'target' | 'value'>;

/**
 * The threshold on one class's score (called when score ≥ threshold) that reaches a target on the
 * split it is chosen on (the val split), with the rates and counts it reached there. Candidates are
 * the distinct scores, so the reported rates are exactly those of that split:
 * - sensitivity: the highest threshold reaching the target (the most specific one), lowered while
 *   specificity stays the same (sensitivity at no cost);
 * - specificity: the lowest threshold reaching the target (the most sensitive one), raised while
 *   sensitivity stays the same. When even the highest score is called too often, the threshold is
 *   just above it and the class is never called.
 */
export function operatingPointFor(targets: ArrayLike<number>, scores: ArrayLike<number>, point: OperatingPointTarget, what: string): Reached {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((n, i) => n + (targets[i] === 1 ? 1 : 0), 0);
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new PipelineError('PIPELINE_FAILED', `${what}: the val split has ${positives === 0 ? 'no image of' : 'only images of'} this class, so its ${point.target} cannot be measured (add val images, or remove its operating point)`);
  }
  // Walk the distinct scores from the highest: at step j everything scoring ≥ distinct[j] is called.
  const distinct: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, rank) => {
    if (targets[i] === 1) tp += 1;
    else fp += 1;
    if (rank + 1 === order.length || scores[order[rank + 1]!]! !== scores[i]!) {
      distinct.push(scores[i]!);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  });
  const last = distinct.length - 1;
  let threshold: number;
  let j: number;
  if (point.target === 'sensitivity') {
    j = 0;
    while (truePositives[j]! / positives < point.value) j += 1;
    while (j < last && falsePositives[j + 1] === falsePositives[j]) j += 1;
    threshold = distinct[j]!;
  } else {
    j = -1;
    while (j < last && (negatives - falsePositives[j + 1]!) / negatives >= point.value) j += 1;
    while (j > 0 && truePositives[j - 1] === truePositives[j]) j -= 1;
    // Nothing may be called: a threshold just above the highest score.
    threshold = j >= 0 ? distinct[j]! : distinct[0]! + Number.EPSILON * Math.max(1, Math.abs(distinct[0]!));
  }
  const calledPositives = j >= 0 ? truePositives[j]! : 0;
  const calledNegatives = j >= 0 ? falsePositives[j]! : 0;
  return {
    threshold,
    sensitivity: calledPositives / positives,
    specificity: (negatives - calledNegatives) / negatives,
    counts: { truePositives: calledPositives, falseNegatives: positives - calledPositives, trueNegatives: negatives - calledNegatives, falsePositives: calledNegatives },
  };
}
