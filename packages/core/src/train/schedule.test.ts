import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule.js';

describe('learningRateAt', () => {
  const perEpoch = 10;
  const at = (kind: 'constant' | 'cosine' | 'step', step: number, extra = {}) => learningRateAt({ kind, ...extra }, 0.1, step, perEpoch, 5);

  it('warms up linearly per step over warmupEpochs, then follows the schedule', () => {
    expect([0, 4, 9, 10, 49].map((s) => at('constant', s, { warmupEpochs: 1 }))).toEqual([0.01, 0.05, 0.1, 0.1, 0.1]);
  });

  it('cosine decays from lr after warm-up towards 0 at the last step', () => {
    expect(at('cosine', 10, { warmupEpochs: 1 })).toBeCloseTo(0.1, 12);
    expect(at('cosine', 30, { warmupEpochs: 1 })).toBeCloseTo(0.05, 12); // half way through the 40 decaying steps
    expect(at('cosine', 49, { warmupEpochs: 1 })).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40)), 12);
    expect(at('cosine', 0)).toBe(0.1);
  });

  it('step multiplies by gamma every stepSize epochs after warm-up', () => {
    const lrs = [0, 10, 20, 30, 40].map((s) => at('step', s, { stepSize: 2, gamma: 0.5 }));
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    // With one warm-up epoch, epochs 1–2 (0-based) run at lr and epoch 3 is the first decayed.
    expect([29, 30].map((s) => at('step', s, { warmupEpochs: 1, stepSize: 2, gamma: 0.5 }))).toEqual([0.1, 0.05]);
  });
});
