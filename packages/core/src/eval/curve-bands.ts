import { Rng } from '../compute/random.js';
import { quantileOfSorted } from './bootstrap.js';
import { checkInteger, checkLabels, checkProbabilities, type Labels, type Scores } from './inputs.js';
import { averagePrecision, precisionRecallCurve, rocAuc, rocCurve } from './ranking.js';
import { checkLevel } from './wilson.js';

/**
 * ROC and precision-recall curves of each class against the rest, with seeded percentile-bootstrap
 * bands, and the ROC-AUC and average precision with their bootstrap intervals.
 *
 * Each resample draws N cases with replacement (mulberry32 from `seed`, one draw shared by every
 * class). Its curves are read on a fixed grid so resamples can be compared point by point:
 * - ROC: on a grid of false-positive rates x, the best sensitivity of a threshold whose
 *   false-positive rate is at most x (a step function, attainable by some threshold);
 * - PR: on a grid of recalls r, the interpolated precision — the best precision of a threshold
 *   whose recall is at least r (as PASCAL VOC interpolates).
 * The band at a grid point is the (1 − level)/2 and (1 + level)/2 quantiles of the resamples there,
 * the AUC and AP intervals the same quantiles of their resampled values (bootstrap.ts's
 * interpolation). A resample without a positive (or, for ROC, a negative) of the class has no
 * curve and is left out of that class's band and intervals; `resamples` says how many counted.
 */

export interface CurveBand {
  /** The grid: false-positive rates (ROC) or recalls (PR), from 0 to 1. */
  x: number[];
  /** The curve of all cases on the grid. */
  estimate: number[];
  low: number[];
  high: number[];
}

export interface BootstrapEstimate {
  estimate: number;
  low: number;
  high: number;
  /** Resamples in which the value was defined. */
  resamples: number;
}

export interface ClassCurves {
  label: string;
  positives: number;
  negatives: number;
  /** The ROC curve of all cases, one point per distinct score (ranking.ts), and its band. */
  roc: { fpr: number[]; tpr: number[]; band: CurveBand };
  /** The precision-recall curve of all cases and its band; `prevalence` is the precision of calling everything positive. */
  pr: { recall: number[]; precision: number[]; prevalence: number; band: CurveBand };
  auc: BootstrapEstimate;
  averagePrecision: BootstrapEstimate;
}

export interface CurveBandOptions {
  resamples: number;
  /** Default 0. */
  seed?: number;
  /** Coverage of the bands and intervals; default 0.95. */
  level?: number;
  /** Points of the grid from 0 to 1; default 51 (steps of 0.02). */
  gridPoints?: number;
}

/** Small slack so a rate computed as a ratio lands on the grid point it equals. */
const EPSILON = 1e-12;

/** The ROC step function on `grid`: the largest TPR among points with FPR ≤ x (FPR and TPR never fall along the curve). */
export function rocOnGrid(fpr: ArrayLike<number>, tpr: ArrayLike<number>, grid: readonly number[]): number[] {
  const values: number[] = [];
  let k = 0;
  for (const x of grid) {
    while (k + 1 < fpr.length && fpr[k + 1]! <= x + EPSILON) k += 1;
    values.push(tpr[k]!);
  }
  return values;
}

/** Interpolated precision on `grid`: the largest precision among points with recall ≥ r; 0 past the last recall. */
export function precisionOnGrid(recall: ArrayLike<number>, precision: ArrayLike<number>, grid: readonly number[]): number[] {
  const best = new Float64Array(recall.length + 1);
  for (let k = recall.length - 1; k >= 0; k--) best[k] = Math.max(best[k + 1]!, precision[k]!);
  const values: number[] = [];
  let k = 0;
  for (const r of grid) {
    while (k < recall.length && recall[k]! < r - EPSILON) k += 1;
    values.push(best[k]!);
  }
  return values;
}

function gridOf(points: number): number[] {
  return Array.from({ length: points }, (_, i) => i / (points - 1));
}

interface ClassSamples {
  rocCurves: number[][];
  prCurves: number[][];
  aucs: number[];
  aps: number[];
}

function quantiles(values: number[], level: number): { low: number; high: number } {
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return { low: quantileOfSorted(sorted, (1 - level) / 2), high: quantileOfSorted(sorted, (1 + level) / 2) };
}

function bandOf(x: number[], estimate: number[], curves: number[][], level: number): CurveBand {
  const low: number[] = [];
  const high: number[] = [];
  x.forEach((_, g) => {
    const q = quantiles(curves.map((curve) => curve[g]!), level);
    low.push(q.low);
    high.push(q.high);
  });
  return { x, estimate, low, high };
}

/** Targets and scores of class c against the rest, for the cases listed in `rows`. */
function columnOfRows(labels: Labels, probabilities: Scores, numClasses: number, c: number, rows: Int32Array): { targets: Uint8Array; scores: Float64Array } {
  const targets = new Uint8Array(rows.length);
  const scores = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    targets[i] = labels[row] === c ? 1 : 0;
    scores[i] = probabilities[row * numClasses + c]!;
  }
  return { targets, scores };
}

/** Per class: ROC and PR curves with bootstrap bands, ROC-AUC and average precision with bootstrap intervals. */
export function curvesWithBands(labels: Labels, probabilities: Scores, classes: readonly string[], options: CurveBandOptions): ClassCurves[] {
  const numClasses = classes.length;
  const level = options.level ?? 0.95;
  const gridPoints = options.gridPoints ?? 51;
  checkLevel('curvesWithBands', level);
  checkInteger('curvesWithBands: resamples', options.resamples, 1);
  checkInteger('curvesWithBands: gridPoints', gridPoints, 2);
  checkLabels('curvesWithBands', labels, numClasses);
  checkProbabilities('curvesWithBands', probabilities, labels.length, numClasses, false);
  const grid = gridOf(gridPoints);
  const samples = labels.length;
  const collected: ClassSamples[] = classes.map(() => ({ rocCurves: [], prCurves: [], aucs: [], aps: [] }));
  const rng = new Rng(options.seed ?? 0);
  const rows = new Int32Array(samples);
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < samples; i++) rows[i] = Math.floor(rng.next() * samples);
    for (let c = 0; c < numClasses; c++) {
      const { targets, scores } = columnOfRows(labels, probabilities, numClasses, c, rows);
      const into = collected[c]!;
      const roc = rocCurve(targets, scores);
      if (!Number.isNaN(roc.fpr[0]) && !Number.isNaN(roc.tpr[0])) {
        into.rocCurves.push(rocOnGrid(roc.fpr, roc.tpr, grid));
        into.aucs.push(rocAuc(targets, scores));
      }
      const pr = precisionRecallCurve(targets, scores);
      if (pr.recall.length > 0) {
        into.prCurves.push(precisionOnGrid(pr.recall, pr.precision, grid));
        into.aps.push(averagePrecision(targets, scores));
      }
    }
  }
  const all = Int32Array.from({ length: samples }, (_, i) => i);
  return classes.map((label, c): ClassCurves => {
    const { targets, scores } = columnOfRows(labels, probabilities, numClasses, c, all);
    const positives = targets.reduce((sum, t) => sum + t, 0);
    const roc = rocCurve(targets, scores);
    const pr = precisionRecallCurve(targets, scores);
    const into = collected[c]!;
    const rocDefined = positives > 0 && positives < samples;
    return {
      label,
      positives,
      negatives: samples - positives,
      roc: {
        fpr: Array.from(roc.fpr),
        tpr: Array.from(roc.tpr),
        band: bandOf(grid, rocDefined ? rocOnGrid(roc.fpr, roc.tpr, grid) : grid.map(() => Number.NaN), into.rocCurves, level),
      },
      pr: {
        recall: Array.from(pr.recall),
        precision: Array.from(pr.precision),
        prevalence: samples === 0 ? Number.NaN : positives / samples,
        band: bandOf(grid, positives > 0 ? precisionOnGrid(pr.recall, pr.precision, grid) : grid.map(() => Number.NaN), into.prCurves, level),
      },
      auc: { estimate: rocDefined ? rocAuc(targets, scores) : Number.NaN, ...quantiles(into.aucs, level), resamples: into.aucs.length },
      averagePrecision: { estimate: positives > 0 ? averagePrecision(targets, scores) : Number.NaN, ...quantiles(into.aps, level), resamples: into.aps.length },
    };
  });
}
