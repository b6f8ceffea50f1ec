import { describe, expect, it } from 'vitest';
import { Rng } from '../compute/random.js';
import { bootstrapIntervals, quantileOfSorted } from './bootstrap.js';
import { evaluateClassifier } from './evaluate-classifier.js';

// 200 samples of 3 classes; the true class gets most of the probability 70% of the time.
const rng = new Rng(11);
const labels = Int32Array.from({ length: 200 }, () => rng.int(0, 2));
const probabilities = new Float32Array(200 * 3);
labels.forEach((label, i) => {
  const favoured = rng.next() < 0.7 ? label : (label + 1) % 3;
  for (let c = 0; c < 3; c++) probabilities[i * 3 + c] = c === favoured ? 0.6 : 0.2;
});
const classes = ['x', 'y', 'z'];

describe('bootstrap intervals', () => {
  it('quantiles interpolate linearly between order statistics (numpy default)', () => {
    // positions q·(n − 1): 0.25·3 = 0.75 → 1 + 0.75·(2 − 1) = 1.75
    expect(quantileOfSorted([1, 2, 4, 8], 0.25)).toBe(1.75);
    expect(quantileOfSorted([1, 2, 4, 8], 1)).toBe(8);
  });

  it('bracket the point estimate and are reproducible from the seed', () => {
    const point = evaluateClassifier(labels, probabilities, classes);
    const intervals = bootstrapIntervals(labels, probabilities, classes, { resamples: 60, seed: 5, metrics: ['accuracy', 'auroc', 'confusion-matrix'] });
    expect(Object.keys(intervals).sort()).toEqual(['accuracy', 'auroc']);
    expect(intervals.accuracy!.low).toBeLessThan(point.accuracy);
    expect(intervals.accuracy!.high).toBeGreaterThan(point.accuracy);
    // ±2 standard errors of a 0.7 proportion over 200 samples ≈ ±0.065: the width is of that order
    expect(intervals.accuracy!.high - intervals.accuracy!.low).toBeGreaterThan(0.05);
    expect(intervals.accuracy!.high - intervals.accuracy!.low).toBeLessThan(0.25);
    expect(intervals.accuracy!.resamples).toBe(60);
    expect(bootstrapIntervals(labels, probabilities, classes, { resamples: 60, seed: 5, metrics: ['accuracy'] }).accuracy).toEqual(intervals.accuracy);
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => bootstrapIntervals(labels, probabilities, classes, { resamples: 2, level: 1 })).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
  });
});
