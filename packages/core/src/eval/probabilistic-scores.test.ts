import { describe, expect, it } from 'vitest';
import { binaryBrierScore, brierScore, logLoss } from './probabilistic-scores.js';

// labels 0, 1 with rows [0.8 0.2], [0.4 0.6]
const labels = Int32Array.from([0, 1]);
const probabilities = Float64Array.from([0.8, 0.2, 0.4, 0.6]);

describe('proper scoring rules', () => {
  it('log-loss = −(ln 0.8 + ln 0.6)/2', () => {
    expect(logLoss(labels, probabilities, 2)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    // rows are renormalised: [1.6 0.4] would be refused (> 1) but [0.4 0.1] = [0.8 0.2]/2 scores the same
    expect(logLoss(Int32Array.from([0]), Float64Array.from([0.4, 0.1]), 2)).toBeCloseTo(-Math.log(0.8), 12);
    // a confident mistake is clipped at ε = 2⁻⁵², not Infinity: row [1 − ε, ε] sums to 1 → −ln ε ≈ 36.04
    expect(logLoss(Int32Array.from([1]), Float64Array.from([1, 0]), 2)).toBeCloseTo(-Math.log(Number.EPSILON), 9);
  });

  it('multi-class Brier = ((0.2² + 0.2²) + (0.4² + 0.4²))/2 = 0.2, twice the binary one', () => {
    expect(brierScore(labels, probabilities, 2)).toBeCloseTo(0.2, 12);
    // float32 rounding just above 1 is accepted, a real excess is not
    expect(brierScore(Int32Array.from([0]), Float32Array.from([1.0000001, 0]), 2)).toBeCloseTo(0, 9);
    expect(() => brierScore(Int32Array.from([0]), Float32Array.from([1.01, 0]), 2)).toThrow(expect.objectContaining({ code: 'EVAL_VALUE_INVALID' }));
    // positive class 1: scores 0.2, 0.6 for targets 0, 1 → (0.04 + 0.16)/2 = 0.1
    expect(binaryBrierScore(Uint8Array.from([0, 1]), Float64Array.from([0.2, 0.6]))).toBeCloseTo(0.1, 12);
  });
});
