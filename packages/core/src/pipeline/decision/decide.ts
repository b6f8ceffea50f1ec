import type { DecisionParams, OperatingPointRecord } from '../../bundle/kinds/decision.js';
import type { Decision, DecisionEvidence, DecisionModel, DecisionOutcome, DecisionReason, ReferralReason } from './decision.js';
import { decisionSummary } from './summary.js';
import { knnAgreementWith, normalisedEntropy } from './uncertainty.js';

/** What one prediction brings to its decision. */
export interface DecisionInputs {
  /** Calibrated class probabilities, in the bundle's class order. */
  readonly probabilities: readonly number[];
  /** The similar cases' vote per class (any scale; all zero when no case has a known label). */
  readonly knnVote: readonly number[];
  /** The similar cases that voted, most similar first. */
  readonly evidence: readonly DecisionEvidence[];
}

/**
 * A prediction's decision under a bundle's decision stage: the class (or positive/negative) from
 * the operating points, or argmax without them; then `refer` when any check of the referral
 * policy that is on fires.
 */
export function decide(classes: readonly string[], params: DecisionParams, model: DecisionModel, inputs: DecisionInputs): Decision {
  const { probabilities } = inputs;
  const maxProbability = Math.max(...probabilities);
  const argmax = probabilities.indexOf(maxProbability);
  const entropy = normalisedEntropy(probabilities);
  const points = new Map(params.operatingPoints.map((point) => [point.label, point]));
  const decided = decideClass(classes, params, points, probabilities, argmax);
  const { knnClass, knnAgreement } = knnAgreementWith(inputs.knnVote, decided.classIndex);
  const { referral } = params;
  const referrals: ReferralReason[] = [];
  if (decided.noneReached && referral.noOperatingPoint) referrals.push({ code: 'no-operating-point' });
  if (referral.minProbability !== null && maxProbability < referral.minProbability) referrals.push({ code: 'low-probability', maxProbability, limit: referral.minProbability });
  if (referral.maxEntropy !== null && entropy > referral.maxEntropy) referrals.push({ code: 'high-entropy', entropy, limit: referral.maxEntropy });
  if (referral.knnDisagreement && knnClass !== null && knnClass !== decided.classIndex) {
    referrals.push({ code: 'knn-disagreement', decidedLabel: classes[decided.classIndex]!, knnLabel: classes[knnClass]!, knnAgreement: knnAgreement! });
  }
  const outcome: DecisionOutcome = referrals.length > 0 ? 'refer' : decided.outcome;
  const reasons: DecisionReason[] = [decided.reason, ...referrals];
  const decision: Omit<Decision, 'summary'> = {
    outcome,
    classIndex: decided.classIndex,
    label: classes[decided.classIndex]!,
    reasons,
    positiveClass: params.positiveClass,
    thresholds: params.operatingPoints,
    uncertainty: { maxProbability, entropy, knnAgreement, knnLabel: knnClass === null ? null : classes[knnClass]! },
    evidence: inputs.evidence,
    model,
  };
  return { ...decision, summary: decisionSummary(decision) };
}

interface DecidedClass {
  readonly classIndex: number;
  readonly outcome: Exclude<DecisionOutcome, 'refer'>;
  readonly reason: DecisionReason;
  /** Operating points decide a class and none reached its threshold (argmax stands in). */
  readonly noneReached: boolean;
}

function decideClass(classes: readonly string[], params: DecisionParams, points: ReadonlyMap<string, OperatingPointRecord>, probabilities: readonly number[], argmax: number): DecidedClass {
  const positive = params.positiveClass === null ? -1 : classes.indexOf(params.positiveClass);
  const positivePoint = params.positiveClass === null ? undefined : points.get(params.positiveClass);
  if (positive >= 0 && classes.length === 2) {
    // Without an operating point of its own the finding is positive when it is the more probable class.
    const reached = positivePoint ? probabilities[positive]! >= positivePoint.threshold : argmax === positive;
    const classIndex = reached ? positive : 1 - positive;
    const reason: DecisionReason = positivePoint ? pointReason(positivePoint, probabilities[positive]!, reached) : { code: 'argmax', label: classes[argmax]!, probability: probabilities[argmax]! };
    return { classIndex, outcome: reached ? 'positive' : 'negative', reason, noneReached: false };
  }
  if (points.size === 0) return { classIndex: argmax, outcome: 'class', reason: { code: 'argmax', label: classes[argmax]!, probability: probabilities[argmax]! }, noneReached: false };
  // A class is called when it reaches its operating point (a class without one, when it is the most
  // probable); of the called classes the most probable is decided.
  let best = -1;
  probabilities.forEach((p, c) => {
    const point = points.get(classes[c]!);
    const called = point ? p >= point.threshold : c === argmax;
    if (called && (best < 0 || p > probabilities[best]!)) best = c;
  });
  if (best < 0) return { classIndex: argmax, outcome: 'class', reason: { code: 'argmax', label: classes[argmax]!, probability: probabilities[argmax]! }, noneReached: true };
  const point = points.get(classes[best]!);
  return {
    classIndex: best,
    outcome: 'class',
    reason: point ? pointReason(point, probabilities[best]!, true) : { code: 'argmax', label: classes[best]!, probability: probabilities[best]! },
    noneReached: false,
  };
}

function pointReason(point: OperatingPointRecord, probability: number, reached: boolean): DecisionReason {
  return { code: 'operating-point', label: point.label, probability, threshold: point.threshold, reached, target: point.target, value: point.value };
}
