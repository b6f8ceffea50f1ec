import { argmaxPredictions } from '../../eval/confusion-matrix.js';
import { evaluateClassifier, type ClassifierEvaluation } from '../../eval/evaluate-classifier.js';

/** The held-out set both models are judged on: the config's test split, labels in the config's class order. */
export interface HeldOutSet {
  readonly labels: Int32Array;
  readonly classes: readonly string[];
  /** `evaluate.positiveClass`: the class the class-wise metrics refer to (macro averages without it). */
  readonly positiveClass?: string;
  /** `evaluate.calibrationBins`: bins of the ECE. */
  readonly calibrationBins: number;
}

/** One model's answers on the held-out set: probabilities (rows × classes), the argmax class, and their evaluation. */
export interface ScoredModel {
  readonly probabilities: Float32Array;
  readonly predictions: Int32Array;
  readonly evaluation: ClassifierEvaluation;
}

/** Scores probabilities on the held-out set the way training evaluates its test split (argmax decisions). */
export function scoreModel(heldOut: HeldOutSet, probabilities: Float32Array): ScoredModel {
  const evaluation = evaluateClassifier(heldOut.labels, probabilities, heldOut.classes, {
    calibrationBins: heldOut.calibrationBins,
    ...(heldOut.positiveClass === undefined ? {} : { positiveClass: heldOut.positiveClass }),
  });
  return { probabilities, predictions: argmaxPredictions(probabilities, heldOut.classes.length), evaluation };
}
