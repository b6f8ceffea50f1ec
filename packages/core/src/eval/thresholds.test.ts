import { describe, expect, it } from 'vitest';
import { applyThreshold, selectThreshold, sensitivitySpecificityAt, thresholdForSensitivity, youdenThreshold } from './thresholds.js';

// The ranking test's case: targets 1 0 1 0 1 0, scores 0.9 0.8 0.7 0.7 0.3 0.1 (P = N = 3).
// At each threshold (score ≥ t is positive): sensitivity, specificity, J
//   0.9: 1/3, 1,   1/3
//   0.8: 1/3, 2/3, 0
//   0.7: 2/3, 1/3, 0
//   0.3: 1,   1/3, 1/3
//   0.1: 1,   0,   0
const targets = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const scores = Float64Array.from([0.9, 0.8, 0.7, 0.7, 0.3, 0.1]);

describe('Youden J', () => {
  it('maximises sensitivity + specificity − 1; a tie goes to the higher (more specific) threshold', () => {
    // J = 1/3 at 0.9 and at 0.3: 0.9 wins.
    const choice = youdenThreshold(targets, scores);
    expect(choice.threshold).toBe(0.9);
    expect(choice.sensitivity).toBeCloseTo(1 / 3, 12);
    expect(choice.specificity).toBe(1);
    expect(choice.j).toBeCloseTo(1 / 3, 12);
  });

  it('finds the separating threshold of separable data', () => {
    // negatives 0.1 0.2 0.35, positives 0.4 0.8: at 0.4 sensitivity 1, specificity 1
    const choice = youdenThreshold(Uint8Array.from([0, 1, 0, 1, 0]), Float32Array.from([0.1, 0.4, 0.2, 0.8, 0.35]));
    expect(choice.threshold).toBeCloseTo(0.4, 6);
    expect(choice).toMatchObject({ sensitivity: 1, specificity: 1, j: 1 });
  });

  it('is undefined without positives or negatives', () => {
    expect(() => youdenThreshold(Uint8Array.from([0, 0]), Float32Array.from([0.1, 0.2]))).toThrow(
      expect.objectContaining({ code: 'EVAL_UNDEFINED', message: expect.stringContaining('no positive') }),
    );
  });
});

describe('target sensitivity', () => {
  it('picks the smallest false-positive rate reaching the target, then the most sensitive threshold at that rate', () => {
    // target 0.6: 0.7 is the first to reach it (2/3, FPR 2/3); 0.3 has the same FPR and sensitivity 1 → 0.3.
    expect(thresholdForSensitivity(targets, scores, 0.6)).toEqual({ threshold: 0.3, sensitivity: 1, specificity: 1 - 2 / 3 });
    // target 0.3: 0.9 reaches 1/3 at FPR 0; 0.8 raises the FPR → 0.9.
    expect(thresholdForSensitivity(targets, scores, 0.3)).toEqual({ threshold: 0.9, sensitivity: 1 / 3, specificity: 1 });
    // target 1: 0.3 (FPR 2/3) before 0.1 (FPR 1).
    expect(thresholdForSensitivity(targets, scores, 1).threshold).toBe(0.3);
  });

  it('rejects a target outside (0, 1]', () => {
    expect(() => thresholdForSensitivity(targets, scores, 1.5)).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
  });
});

describe('applying thresholds', () => {
  it('selectThreshold follows the config strategies', () => {
    expect(selectThreshold(targets, scores, { strategy: 'none' })).toBeNull();
    expect(selectThreshold(targets, scores, { strategy: 'youden' })?.threshold).toBe(0.9);
    expect(selectThreshold(targets, scores, { strategy: 'target-sensitivity', targetSensitivity: 0.6 })?.threshold).toBe(0.3);
  });

  it('calls score ≥ threshold positive and measures sensitivity and specificity there', () => {
    expect(Array.from(applyThreshold(scores, 0.7))).toEqual([1, 1, 1, 1, 0, 0]);
    // at 0.7: positives 0.9, 0.7 called (2 of 3); negatives 0.1 not called (1 of 3)
    const at = sensitivitySpecificityAt(targets, scores, 0.7);
    expect(at.sensitivity).toBeCloseTo(2 / 3, 12);
    expect(at.specificity).toBeCloseTo(1 / 3, 12);
  });
});
