import { describe, expect, it } from 'vitest';
import { Tensor } from '../compute/tensor.js';
import { CvfError } from '../errors.js';
import { pseudoLabel } from './pseudo-label.js';

const probabilities = Tensor.cpu('f32', [5, 3], [
  0.98, 0.01, 0.01, // confident 0
  0.4, 0.35, 0.25, // unsure
  0.05, 0.92, 0.03, // confident 1
  0.96, 0.02, 0.02, // confident 0
  0.1, 0.1, 0.8, // below 0.9
]);

describe('pseudoLabel', () => {
  it('picks the rows whose top probability reaches the threshold, with their class and confidence', () => {
    const picked = pseudoLabel(probabilities, 0.9);
    expect(Array.from(picked.indices)).toEqual([0, 2, 3]);
    expect(Array.from(picked.labels)).toEqual([0, 1, 0]);
    expect(Array.from(picked.confidences)).toEqual([0.98, 0.92, 0.96].map(Math.fround));
    expect(Array.from(pseudoLabel(probabilities, 0.8).indices)).toEqual([0, 2, 3, 4]);
  });

  it('maxPerClass keeps the most confident rows of each class', () => {
    const picked = pseudoLabel(probabilities, 0.9, { maxPerClass: 1 });
    expect(Array.from(picked.indices)).toEqual([0, 2]);
  });

  it('rejects a threshold outside (0, 1] and probabilities that are not [rows, classes]', () => {
    for (const [fn, code] of [
      [() => pseudoLabel(probabilities, 0), 'TRAIN_INVALID_OPTIONS'],
      [() => pseudoLabel(probabilities, 1.5), 'TRAIN_INVALID_OPTIONS'],
      [() => pseudoLabel({ data: new Float32Array(5), shape: [2, 3] }, 0.9), 'TRAIN_INVALID_DATA'],
    ] as const) {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect((error as CvfError).code).toBe(code);
    }
  });
});
