import { describe, expect, it } from 'vitest';
import { operatingPointFor } from './operating-point.js';

// 10 positives and 10 negatives, scores spread so that the counts at each threshold are known by hand.
const positives = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
const negatives = [0.75, 0.5, 0.45, 0.35, 0.25, 0.15, 0.1, 0.08, 0.05, 0.01];
const targets = [...positives.map(() => 1), ...negatives.map(() => 0)];
const scores = [...positives, ...negatives];

describe('operatingPointFor', () => {
  it('reaches a target sensitivity on the split, with the most specific threshold and exact counts', () => {
    // 9 of 10 positives need a threshold ≤ 0.3; at 0.3 the negatives 0.75, 0.5, 0.45, 0.35 are called.
    const point = operatingPointFor(targets, scores, { target: 'sensitivity', value: 0.9 }, 'test');
    expect(point).toEqual({ threshold: 0.3, sensitivity: 0.9, specificity: 0.6, counts: { truePositives: 9, falseNegatives: 1, trueNegatives: 6, falsePositives: 4 } });
    const called = scores.map((s) => s >= point.threshold);
    expect(called.filter((c, i) => c && targets[i] === 1)).toHaveLength(9);
  });

  it('lowers the threshold while specificity stays the same', () => {
    // Sensitivity 0.6 is reached at 0.6 (6 positives); 0.55 is also positive and costs no false positive.
    expect(operatingPointFor(targets, scores, { target: 'sensitivity', value: 0.6 }, 'test')).toMatchObject({ threshold: 0.55, sensitivity: 0.7, specificity: 0.9 });
  });

  it('reaches a target specificity with the most sensitive threshold', () => {
    // Specificity 0.9 allows one false positive (0.75); the lowest threshold keeping it is 0.55.
    expect(operatingPointFor(targets, scores, { target: 'specificity', value: 0.9 }, 'test')).toEqual({
      threshold: 0.55,
      sensitivity: 0.7,
      specificity: 0.9,
      counts: { truePositives: 7, falseNegatives: 3, trueNegatives: 9, falsePositives: 1 },
    });
  });

  it('calls nothing when even the highest score breaks the specificity target', () => {
    const point = operatingPointFor([0, 1, 0], [0.9, 0.5, 0.1], { target: 'specificity', value: 1 }, 'test');
    expect(point.threshold).toBeGreaterThan(0.9);
    expect(point.counts).toEqual({ truePositives: 0, falseNegatives: 1, trueNegatives: 2, falsePositives: 0 });
  });

  it('refuses a split without both positives and negatives, naming the class', () => {
    expect(() => operatingPointFor([0, 0], [0.2, 0.4], { target: 'sensitivity', value: 0.95 }, 'decision operating point of "pneumonia"')).toThrow(/"pneumonia".*no image of this class/);
  });
});
