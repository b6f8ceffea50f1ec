import { EvalError } from '../errors.js';
import { reliabilityCurve, type Calibration } from './calibration.js';
import { curvesWithBands, type ClassCurves } from './curve-bands.js';
import { checkInteger, type Labels, type Scores } from './inputs.js';
import { operatingPointTable, referralSummary, type OperatingPointTable, type ReferralSummary } from './operating-point.js';

/**
 * The evaluation a clinical reviewer asks for, of one set of cases (a test split, or one subgroup
 * of it): the operating-point table with Wilson intervals (operating-point.ts), the referral rate
 * and the accuracy of what is not referred, ROC and PR curves with bootstrap bands and the AUC and
 * average precision with bootstrap intervals (curve-bands.ts), and the top-label calibration
 * (ECE, MCE and the reliability curve, calibration.ts). Isomorphic: `cvf evaluate` and the
 * subgroup tables of @cvf/medical build on it.
 */

export interface ClinicalEvaluationInput {
  /** True class per case. */
  labels: Labels;
  /** N×C probabilities of the model (row-major). */
  probabilities: Scores;
  /** The class decided per case at the operating points (or the argmax). */
  predictions: Labels;
  /** 1 where the decision was to refer the case; null when the model has no referral policy. */
  referred: Uint8Array | null;
  classes: readonly string[];
}

export interface ClinicalEvaluationOptions {
  /** Coverage of every interval and band; default 0.95. */
  level?: number;
  /** Bootstrap resamples of the curve bands and AUC intervals; default 1000. */
  resamples?: number;
  /** Seed of the bootstrap; default 0. The same seed gives the same bands. */
  seed?: number;
  /** Grid points of the curve bands; default 51. */
  gridPoints?: number;
  /** Equal-width bins of the reliability curve; default 10. */
  calibrationBins?: number;
}

export interface ClinicalEvaluation {
  samples: number;
  classes: string[];
  /** Cases per class, in the order of `classes`. */
  classCounts: number[];
  level: number;
  bootstrap: { resamples: number; seed: number };
  operatingPoint: OperatingPointTable;
  referral: ReferralSummary | null;
  curves: ClassCurves[];
  calibration: Calibration;
}

export function evaluateClinically(input: ClinicalEvaluationInput, options: ClinicalEvaluationOptions = {}): ClinicalEvaluation {
  const { labels, probabilities, predictions, referred, classes } = input;
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  checkInteger('evaluateClinically: seed', seed, 0);
  if (labels.length === 0) throw new EvalError('EVAL_UNDEFINED', 'evaluateClinically: there are no cases; an evaluation of an empty set is undefined');
  const operatingPoint = operatingPointTable(labels, predictions, classes, level);
  return {
    samples: labels.length,
    classes: [...classes],
    classCounts: operatingPoint.perClass.map((entry) => entry.support),
    level,
    bootstrap: { resamples, seed },
    operatingPoint,
    referral: referred ? referralSummary(labels, predictions, referred, classes.length, level) : null,
    curves: curvesWithBands(labels, probabilities, classes, { resamples, seed, level, ...(options.gridPoints !== undefined && { gridPoints: options.gridPoints }) }),
    calibration: reliabilityCurve(labels, probabilities, classes.length, options.calibrationBins ?? 10),
  };
}
