import { describe, expect, it } from 'vitest';
import { CvfError } from '../errors.js';
import { knnPredict, neighbourLabelsOf } from './knn.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as CvfError).code;
  }
  return undefined;
}

describe('knnPredict', () => {
  // Two queries, k = 3, best first.
  const labels = Int32Array.of(1, 0, 0, 2, 2, 1);
  const similarities = Float32Array.of(0.9, 0.3, 0.2, 0.5, 0.4, 0.95);

  it('uniform: majority vote, shares as probabilities', () => {
    const { classIndex, probabilities } = knnPredict(labels, similarities, 3, { k: 3, weighting: 'uniform' });
    expect(Array.from(classIndex)).toEqual([0, 2]);
    expect(Array.from(probabilities)).toEqual([2 / 3, 1 / 3, 0, 0, 1 / 3, 2 / 3].map(Math.fround));
  });

  it('distance-weighted by similarity: one close neighbour outvotes two far ones', () => {
    const { classIndex, probabilities } = knnPredict(labels, similarities, 3, { k: 3, weighting: 'distance' });
    expect(Array.from(classIndex)).toEqual([1, 1]); // 0.9 > 0.3 + 0.2; 0.95 > 0.5 + 0.4
    expect(probabilities[0]).toBeCloseTo(0.5 / 1.4, 6);
    expect(probabilities[1]).toBeCloseTo(0.9 / 1.4, 6);
  });

  it('distance-weighted by L2 distance: 1/d', () => {
    const { classIndex, probabilities } = knnPredict(Int32Array.of(0, 1, 1), Float32Array.of(1, 3, 3), 2, { k: 3, scoreKind: 'distance' });
    expect(classIndex[0]).toBe(0); // 1 > 1/3 + 1/3
    expect(probabilities[0]).toBeCloseTo(1 / (1 + 2 / 3), 6);
  });

  it('ties go to the class of the higher-ranked neighbour; −1 neighbours are skipped; none at all gives −1', () => {
    const result = knnPredict(Int32Array.of(2, 1, -1, -1, -1, -1), Float32Array.of(0.5, 0.5, 0, 0, 0, 0), 3, { k: 3, weighting: 'uniform' });
    expect(result.classIndex[0]).toBe(2);
    expect(result.classIndex[1]).toBe(-1);
    expect(Array.from(result.probabilities.subarray(3))).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('falls back to uniform votes when every similarity is ≤ 0', () => {
    const { classIndex } = knnPredict(Int32Array.of(0, 1, 1), Float32Array.of(-0.1, -0.2, -0.3), 2, { k: 3 });
    expect(classIndex[0]).toBe(1);
  });

  it('rejects bad shapes, labels and options with stable codes', () => {
    expect(codeOf(() => knnPredict(Int32Array.of(0, 1), Float32Array.of(1), 2, { k: 2 }))).toBe('TRAIN_INVALID_DATA');
    expect(codeOf(() => knnPredict(Int32Array.of(0, 5), Float32Array.of(1, 1), 2, { k: 2 }))).toBe('TRAIN_INVALID_DATA');
    expect(codeOf(() => knnPredict(Int32Array.of(0, 1), Float32Array.of(1, 1), 2, { k: 2, weighting: 'gaussian' as 'uniform' }))).toBe('TRAIN_INVALID_OPTIONS');
    expect(codeOf(() => knnPredict(Int32Array.of(0, 1), Float32Array.of(1, 1), 2, { k: 0 }))).toBe('TRAIN_INVALID_OPTIONS');
  });

  it('neighbourLabelsOf maps ids to labels, keeping −1', () => {
    expect(Array.from(neighbourLabelsOf(Int32Array.of(2, -1, 0), Int32Array.of(7, 8, 9)))).toEqual([9, -1, 7]);
    expect(codeOf(() => neighbourLabelsOf(Int32Array.of(3), Int32Array.of(7, 8, 9)))).toBe('TRAIN_INVALID_DATA');
  });
});
