import type { Decision, DecisionReason } from './decision.js';

const two = (x: number) => x.toFixed(2);
const percent = (x: number) => `${Number((x * 100).toFixed(1))}%`;

/**
 * The one line a person reads, the same in `cvf predict`, the edge runtime and the viewer:
 * "Refer — uncertain (entropy 0.82)", "Positive (pneumonia) at the 95%-sensitivity point (p 0.31 ≥ 0.12)",
 * "shirt (most probable, p 0.61)".
 */
export function decisionSummary(decision: Omit<Decision, 'summary'>): string {
  const [how, ...referrals] = decision.reasons;
  if (decision.outcome === 'refer') return `Refer — ${referrals.map(referralText).join('; ')}`;
  const head = decision.outcome === 'positive' ? `Positive (${decision.positiveClass})` : decision.outcome === 'negative' ? `Negative (${decision.positiveClass})` : decision.label;
  return `${head} ${howText(how!)}`;
}

function howText(reason: DecisionReason): string {
  if (reason.code === 'operating-point') return `at the ${percent(reason.value)}-${reason.target} point (p ${two(reason.probability)} ${reason.reached ? '≥' : '<'} ${two(reason.threshold)})`;
  if (reason.code === 'argmax') return `(most probable, p ${two(reason.probability)})`;
  return '';
}

function referralText(reason: DecisionReason): string {
  switch (reason.code) {
    case 'low-probability':
      return `low confidence (max probability ${two(reason.maxProbability)} < ${two(reason.limit)})`;
    case 'high-entropy':
      return `uncertain (entropy ${two(reason.entropy)})`;
    case 'knn-disagreement':
      return `similar cases disagree (they vote ${reason.knnLabel}, the model ${reason.decidedLabel})`;
    case 'no-operating-point':
      return 'no class reaches its operating point';
    default:
      return reason.code;
  }
}
