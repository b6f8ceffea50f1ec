import { argmaxPredictions } from './confusion-matrix.js';
import { checkBinary, checkInteger, checkLabels, checkProbabilities, checkScores, type BinaryTargets, type Labels, type Scores } from './inputs.js';
import { EvalError } from '../errors.js';

/**
 * Calibration: does a predicted probability of 0.8 come true 80% of the time?
 *
 * Bins are equal-width over [0, 1]: bin b of B holds confidences in (b/B, (b+1)/B], and a confidence
 * of exactly 0 falls in the first bin. The expected calibration error is
 * ECE = Σ_b (n_b / N)·|accuracy_b − confidence_b| (Guo et al. 2017), the maximum calibration error
 * MCE = max_b |accuracy_b − confidence_b| over non-empty bins.
 *
 * - `reliabilityCurve` is top-label calibration of a multi-class model: the confidence of a sample is
 *   its largest probability, its outcome whether that argmax is the true class.
 * - `binaryReliabilityCurve` is the calibration of a positive-class probability: the confidence is
 *   the score, the outcome whether the sample is positive (scikit-learn's `calibration_curve` with
 *   `strategy='uniform'`, plus the bin counts).
 */

export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Mean confidence of the bin's samples; null for an empty bin. */
  confidence: number | null;
  /** Fraction of the bin's samples whose outcome came true; null for an empty bin. */
  accuracy: number | null;
  count: number;
}

export interface Calibration {
  ece: number;
  mce: number;
  bins: ReliabilityBin[];
}

/** The bin of `confidence` among `bins` equal-width bins, right-closed: (b/B, (b+1)/B]. */
export function calibrationBinOf(confidence: number, bins: number): number {
  let bin = Math.ceil(confidence * bins) - 1;
  // confidence·B rounds; compare with the same edges b/B the bins report, so an edge value lands left of it.
  if (bin >= 0 && confidence <= bin / bins) bin -= 1;
  else if (bin < bins - 1 && confidence > (bin + 1) / bins) bin += 1;
  return Math.min(Math.max(bin, 0), bins - 1);
}

/** Bins (confidence, outcome) pairs; `outcome[i]` is 1 when sample i came true. */
export function binnedCalibration(confidences: Scores, outcomes: Uint8Array, bins: number): Calibration {
  checkInteger('calibration: bins', bins, 1);
  checkScores('calibration', confidences, true, 'confidences');
  if (confidences.length === 0) throw new EvalError('EVAL_UNDEFINED', 'calibration: there are no samples; it is undefined for an empty set');
  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidences.length; i++) {
    const bin = calibrationBinOf(confidences[i]!, bins);
    count[bin]! += 1;
    confidenceSum[bin]! += confidences[i]!;
    correct[bin]! += outcomes[i]!;
  }
  let ece = 0;
  let mce = 0;
  const result: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b]!;
    const bin: ReliabilityBin = { lower: b / bins, upper: (b + 1) / bins, confidence: null, accuracy: null, count: n };
    if (n > 0) {
      bin.confidence = confidenceSum[b]! / n;
      bin.accuracy = correct[b]! / n;
      const gap = Math.abs(bin.accuracy - bin.confidence);
      ece += (n / confidences.length) * gap;
      mce = Math.max(mce, gap);
    }
    result.push(bin);
  }
  return { ece, mce, bins: result };
}

/** Top-label reliability curve, ECE and MCE of an N×C probability matrix. */
export function reliabilityCurve(labels: Labels, probabilities: Scores, numClasses: number, bins = 15): Calibration {
  checkLabels('reliabilityCurve', labels, numClasses);
  checkProbabilities('reliabilityCurve', probabilities, labels.length, numClasses, true);
  const predictions = argmaxPredictions(probabilities, numClasses);
  const confidences = new Float64Array(labels.length);
  const outcomes = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    confidences[i] = probabilities[i * numClasses + predictions[i]!]!;
    outcomes[i] = predictions[i] === labels[i] ? 1 : 0;
  }
  return binnedCalibration(confidences, outcomes, bins);
}

/** Top-label expected calibration error of an N×C probability matrix. */
export function expectedCalibrationError(labels: Labels, probabilities: Scores, numClasses: number, bins = 15): number {
  return reliabilityCurve(labels, probabilities, numClasses, bins).ece;
}

/** Reliability curve of a positive-class probability against 0/1 targets. */
export function binaryReliabilityCurve(targets: BinaryTargets, scores: Scores, bins = 15): Calibration {
  checkBinary('binaryReliabilityCurve', targets, scores);
  return binnedCalibration(scores, Uint8Array.from(targets), bins);
}
