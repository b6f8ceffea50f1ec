import { describe, expect, it } from 'vitest';
import { CvfError } from '../errors.js';
import { classWeightsFor } from './class-weights.js';
import { createHead, headParameters, type HeadSpec } from './head.js';
import { loadHead, saveHead } from './head-file.js';

const spec: HeadSpec = { head: 'mlp', inputDim: 6, classes: 3, hidden: [5], activation: 'gelu', dropout: 0.1 };

describe('saveHead / loadHead', () => {
  it('round-trips the spec and every parameter exactly', () => {
    const head = createHead(spec, 3);
    const loaded = loadHead(saveHead(head));
    expect(loaded.spec).toEqual(spec);
    expect(headParameters(loaded).map((t) => [t.shape, Array.from(t.data)])).toEqual(headParameters(head).map((t) => [t.shape, Array.from(t.data)]));
  });

  it('rejects truncated or foreign bytes with TRAIN_CHECKPOINT_INVALID', () => {
    const bytes = saveHead(createHead(spec, 3));
    for (const bad of [bytes.slice(0, 20), bytes.slice(0, bytes.length - 4), Uint8Array.of(1, 2, 3), new Uint8Array(64)]) {
      let error: unknown;
      try {
        loadHead(bad);
      } catch (e) {
        error = e;
      }
      expect((error as CvfError).code).toBe('TRAIN_CHECKPOINT_INVALID');
    }
  });

  it('initialisation depends on the seed only', () => {
    const values = (seed: number) => headParameters(createHead(spec, seed)).map((t) => Array.from(t.data));
    expect(values(1)).toEqual(values(1));
    expect(values(1)).not.toEqual(values(2));
  });
});

describe('classWeightsFor', () => {
  const labels = Int32Array.of(0, 0, 0, 1, -1);
  it("'balanced' is n / (C · count), 1 for an absent class; unlabelled rows are not counted", () => {
    expect(Array.from(classWeightsFor('balanced', labels, 3))).toEqual([4 / 9, 4 / 3, 1].map(Math.fround));
  });
  it("'none' is all 1; an explicit list must have one positive weight per class", () => {
    expect(Array.from(classWeightsFor('none', labels, 2))).toEqual([1, 1]);
    expect(Array.from(classWeightsFor([2, 0.5], labels, 2))).toEqual([2, 0.5]);
    expect(() => classWeightsFor([2, 0], labels, 2)).toThrow(/one per class/);
  });
});
