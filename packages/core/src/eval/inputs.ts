import { EvalError } from '../errors.js';

/**
 * The array conventions every metric in src/eval follows:
 *
 * - **labels / predictions**: `Int32Array` of class indices in 0..C-1, one per sample.
 * - **probabilities**: `Float32Array` (or `Float64Array`) of N×C values, row-major: the score of
 *   class c for sample i is at `i * C + c`. Rows are what the head's softmax gives; metrics that need
 *   probabilities (calibration, log-loss, Brier) accept [0, 1] give or take 1e-6 of float rounding.
 * - **binary targets**: `Uint8Array` or `Int32Array` of 0/1, 1 = positive (the finding).
 * - **scores**: one finite number per sample, higher = more positive (a probability or a logit).
 */
export type Labels = Int32Array;
export type Scores = Float32Array | Float64Array;
export type BinaryTargets = Uint8Array | Int32Array;

/** Throws EVAL_OPTION_INVALID unless `value` is an integer ≥ `min`. */
export function checkInteger(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new EvalError('EVAL_OPTION_INVALID', `${what} is ${value}; expected an integer ≥ ${min}`);
  }
}

export function checkSameLength(what: string, a: { length: number }, b: { length: number }, aName: string, bName: string): void {
  if (a.length !== b.length) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `${what}: ${aName} has ${a.length} values but ${bName} has ${b.length}; expected one per sample`);
  }
}

/** Throws unless every label is an integer in 0..numClasses-1. */
export function checkLabels(what: string, labels: Labels, numClasses: number, name = 'labels'): void {
  checkInteger(`${what}: numClasses`, numClasses, 1);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= numClasses) {
      throw new EvalError('EVAL_LABEL_OUT_OF_RANGE', `${what}: ${name}[${i}] is ${label}; expected a class index in 0..${numClasses - 1}`);
    }
  }
}

/** The number of rows of an N×C matrix; throws unless its length is a multiple of numClasses. */
export function rowsOf(what: string, probabilities: Scores, numClasses: number): number {
  checkInteger(`${what}: numClasses`, numClasses, 1);
  if (probabilities.length % numClasses !== 0) {
    throw new EvalError(
      'EVAL_LENGTH_MISMATCH',
      `${what}: probabilities has ${probabilities.length} values, not a multiple of ${numClasses} classes (expected row-major N×C)`,
    );
  }
  return probabilities.length / numClasses;
}

/** Throws unless `probabilities` holds labels.length × numClasses finite values (in [0, 1] when `unit`). */
export function checkProbabilities(what: string, probabilities: Scores, samples: number, numClasses: number, unit: boolean): void {
  if (probabilities.length !== samples * numClasses) {
    throw new EvalError(
      'EVAL_LENGTH_MISMATCH',
      `${what}: probabilities has ${probabilities.length} values; expected ${samples} samples × ${numClasses} classes = ${samples * numClasses} (row-major N×C)`,
    );
  }
  checkScores(what, probabilities, unit, 'probabilities');
}

/** Slack on [0, 1] for probabilities, so the last-bit rounding of a float32 (GPU) softmax is not refused. */
const PROBABILITY_SLACK = 1e-6;

/** Throws unless every score is finite (and in [0, 1] when `unit`, give or take float rounding). */
export function checkScores(what: string, scores: Scores, unit: boolean, name = 'scores'): void {
  for (let i = 0; i < scores.length; i++) {
    const value = scores[i]!;
    if (!Number.isFinite(value) || (unit && (value < -PROBABILITY_SLACK || value > 1 + PROBABILITY_SLACK))) {
      throw new EvalError('EVAL_VALUE_INVALID', `${what}: ${name}[${i}] is ${value}; expected a finite number${unit ? ' in [0, 1]' : ''}`);
    }
  }
}

/** Throws unless targets are 0/1 and there is one finite score per target. */
export function checkBinary(what: string, targets: BinaryTargets, scores: Scores): void {
  checkSameLength(what, targets, scores, 'targets', 'scores');
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    if (target !== 0 && target !== 1) {
      throw new EvalError('EVAL_LABEL_OUT_OF_RANGE', `${what}: targets[${i}] is ${target}; expected 0 (negative) or 1 (positive)`);
    }
  }
  checkScores(what, scores, false);
}
