import { describe, expect, it } from 'vitest';
import { Rng } from '../compute/random.js';
import { curvesWithBands, precisionOnGrid, rocOnGrid } from './curve-bands.js';
import { evaluateClinically } from './clinical-evaluation.js';
import { averagePrecision, rocAuc } from './ranking.js';

/** A noisy binary classifier: positives score higher on average. */
function noisyCases(count: number, seed: number): { labels: Int32Array; probabilities: Float64Array } {
  const rng = new Rng(seed);
  const labels = new Int32Array(count);
  const probabilities = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.next() < 0.4 ? 1 : 0;
    const p = Math.min(1, Math.max(0, 0.5 + (labels[i] ? 0.2 : -0.2) + 0.25 * rng.normal()));
    probabilities[i * 2 + 1] = p;
    probabilities[i * 2] = 1 - p;
  }
  return { labels, probabilities };
}

describe('ROC and PR curves on a grid', () => {
  it('reads the ROC step function as the best sensitivity at a false-positive rate at most x', () => {
    const fpr = [0, 0, 0.5, 0.5, 1];
    const tpr = [0, 0.5, 0.5, 1, 1];
    expect(rocOnGrid(fpr, tpr, [0, 0.25, 0.5, 1])).toEqual([0.5, 0.5, 1, 1]);
  });

  it('reads precision as the best precision at a recall of at least r', () => {
    const recall = [0.5, 0.5, 1];
    const precision = [1, 0.5, 0.667];
    expect(precisionOnGrid(recall, precision, [0, 0.5, 0.75, 1])).toEqual([1, 1, 0.667, 0.667]);
  });
});

describe('bootstrap bands', () => {
  const { labels, probabilities } = noisyCases(80, 3);
  const classes = ['normal', 'abnormal'];

  it('are reproducible for a seed and change with it', () => {
    const a = curvesWithBands(labels, probabilities, classes, { resamples: 100, seed: 11 });
    const b = curvesWithBands(labels, probabilities, classes, { resamples: 100, seed: 11 });
    const c = curvesWithBands(labels, probabilities, classes, { resamples: 100, seed: 12 });
    expect(b).toEqual(a);
    expect(c[1]!.auc.low).not.toBe(a[1]!.auc.low);
  });

  it('hold the AUC and AP of all cases inside their intervals and the curve inside its band', () => {
    const [, abnormal] = curvesWithBands(labels, probabilities, classes, { resamples: 300, seed: 1 });
    const targets = Uint8Array.from(labels);
    const scores = Float64Array.from(labels, (_, i) => probabilities[i * 2 + 1]!);
    expect(abnormal!.auc.estimate).toBe(rocAuc(targets, scores));
    expect(abnormal!.averagePrecision.estimate).toBe(averagePrecision(targets, scores));
    expect(abnormal!.auc.low).toBeLessThan(abnormal!.auc.estimate);
    expect(abnormal!.auc.high).toBeGreaterThan(abnormal!.auc.estimate);
    expect(abnormal!.auc.resamples).toBe(300);
    const { band } = abnormal!.roc;
    expect(band.x).toHaveLength(51);
    const inside = band.estimate.filter((value, g) => value >= band.low[g]! - 1e-12 && value <= band.high[g]! + 1e-12).length;
    expect(inside).toBeGreaterThanOrEqual(48); // a percentile band need not hold every point of the full-data curve
    expect(band.low[band.x.length - 1]).toBe(1); // every resample's ROC reaches (1, 1)
  });

  it('leave out resamples that lost a class and report the curves of an absent class as undefined', () => {
    const few = Int32Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const p = Float64Array.from({ length: 16 }, (_, i) => (i % 2 === 1 ? (few[i >> 1] ? 0.9 : 0.2) : few[i >> 1] ? 0.1 : 0.8));
    const [, abnormal] = curvesWithBands(few, p, classes, { resamples: 100, seed: 0 });
    expect(abnormal!.auc.resamples).toBeLessThan(100);
    expect(abnormal!.auc.resamples).toBeGreaterThan(0);
    const none = curvesWithBands(Int32Array.from([0, 0]), Float64Array.from([0.9, 0.1, 0.8, 0.2]), classes, { resamples: 10 });
    expect(Number.isNaN(none[1]!.auc.estimate)).toBe(true);
    expect(none[1]!.auc.resamples).toBe(0);
  });
});

describe('clinical evaluation', () => {
  it('puts the table, referral, curves and calibration of one set together', () => {
    const { labels, probabilities } = noisyCases(60, 5);
    const predictions = Int32Array.from(labels, (_, i) => (probabilities[i * 2 + 1]! >= 0.5 ? 1 : 0));
    const referred = Uint8Array.from(labels, (_, i) => (Math.abs(probabilities[i * 2 + 1]! - 0.5) < 0.1 ? 1 : 0));
    const evaluation = evaluateClinically({ labels, probabilities, predictions, referred, classes: ['normal', 'abnormal'] }, { resamples: 50, seed: 4 });
    expect(evaluation.samples).toBe(60);
    expect(evaluation.classCounts[0]! + evaluation.classCounts[1]!).toBe(60);
    expect(evaluation.referral!.rate.successes).toBe(referred.reduce((a, b) => a + b, 0));
    expect(evaluation.calibration.bins).toHaveLength(10);
    expect(evaluation.bootstrap).toEqual({ resamples: 50, seed: 4 });
    expect(() => evaluateClinically({ labels: new Int32Array(0), probabilities: new Float64Array(0), predictions: new Int32Array(0), referred: null, classes: ['a', 'b'] })).toThrow(/no cases/);
  });
});
