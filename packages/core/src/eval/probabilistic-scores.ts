import { checkBinary, checkLabels, checkProbabilities, checkScores, type BinaryTargets, type Labels, type Scores } from './inputs.js';
import { EvalError } from '../errors.js';

/**
 * Proper scoring rules of predicted probabilities (lower is better). Probabilities must lie in [0, 1].
 */

/**
 * Probabilities are clipped to [ε, 1 − ε] before the logarithm, so a confident mistake costs
 * −ln ε ≈ 36, not Infinity. ε = 2⁻⁵², the value scikit-learn 1.2's `log_loss` uses for float64 input.
 */
export const LOG_LOSS_EPSILON = Number.EPSILON;

function clip(probability: number): number {
  return Math.min(Math.max(probability, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
}

function requireSamples(what: string, samples: number): void {
  if (samples === 0) throw new EvalError('EVAL_UNDEFINED', `${what}: there are no samples; it is undefined for an empty set`);
}

/**
 * Mean negative log-likelihood of the true class, −(1/N) Σᵢ log pᵢ,yᵢ. As in scikit-learn's `log_loss`,
 * every probability is clipped to [ε, 1 − ε] and each row then divided by its sum, so float32 softmax
 * rows that sum to 1 ± 1e-7 are fine.
 */
export function logLoss(labels: Labels, probabilities: Scores, numClasses: number): number {
  checkLabels('logLoss', labels, numClasses);
  checkProbabilities('logLoss', probabilities, labels.length, numClasses, true);
  requireSamples('logLoss', labels.length);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    let rowSum = 0;
    for (let c = 0; c < numClasses; c++) rowSum += clip(probabilities[i * numClasses + c]!);
    sum -= Math.log(clip(probabilities[i * numClasses + labels[i]!]!) / rowSum);
  }
  return sum / labels.length;
}

/**
 * Multi-class Brier score (Brier's original definition): (1/N) Σᵢ Σ_c (p_ic − [yᵢ = c])², in [0, 2].
 * For two classes it is twice the binary Brier score of either class.
 */
export function brierScore(labels: Labels, probabilities: Scores, numClasses: number): number {
  checkLabels('brierScore', labels, numClasses);
  checkProbabilities('brierScore', probabilities, labels.length, numClasses, true);
  requireSamples('brierScore', labels.length);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let c = 0; c < numClasses; c++) {
      const error = probabilities[i * numClasses + c]! - (labels[i] === c ? 1 : 0);
      sum += error * error;
    }
  }
  return sum / labels.length;
}

/** Binary Brier score (1/N) Σᵢ (sᵢ − tᵢ)² of the positive-class probability (scikit-learn `brier_score_loss`), in [0, 1]. */
export function binaryBrierScore(targets: BinaryTargets, scores: Scores): number {
  checkBinary('binaryBrierScore', targets, scores);
  checkScores('binaryBrierScore', scores, true);
  requireSamples('binaryBrierScore', targets.length);
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += (scores[i]! - targets[i]!) ** 2;
  return sum / targets.length;
}
