import { describe, expect, it } from 'vitest';
import { binaryReliabilityCurve, calibrationBinOf, expectedCalibrationError, reliabilityCurve } from './calibration.js';

describe('calibration bins', () => {
  it('are right-closed (b/B, (b+1)/B], with 0 in the first bin, also at float edges', () => {
    expect([0, 0.05, 0.1, 0.3, 0.30000001, 0.7, 1].map((c) => calibrationBinOf(c, 10))).toEqual([0, 0, 0, 2, 3, 6, 9]);
    expect(calibrationBinOf(0.5, 2)).toBe(0);
    // float32 0.3 is 0.30000001192…: above the edge, so (unlike the double 0.3) it lands in (0.3, 0.4]
    expect(calibrationBinOf(Math.fround(0.3), 10)).toBe(3);
  });
});

describe('top-label reliability and ECE', () => {
  // 2 classes, 2 bins (0, .5] and (.5, 1]:
  //   [0.9 0.1] label 0 → confidence 0.9, correct
  //   [0.2 0.8] label 0 → confidence 0.8, wrong
  //   [0.6 0.4] label 0 → confidence 0.6, correct
  //   [0.5 0.5] label 1 → argmax 0 (tie → first), confidence 0.5, wrong
  // bin 0: n 1, confidence 0.5, accuracy 0 → gap 0.5
  // bin 1: n 3, confidence 2.3/3, accuracy 2/3 → gap 0.3/3 = 0.1
  // ECE = 1/4·0.5 + 3/4·0.1 = 0.2, MCE = 0.5
  const labels = Int32Array.from([0, 0, 0, 1]);
  const probabilities = Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5]);

  it('gives per-bin confidence, accuracy and count', () => {
    const { bins, ece, mce } = reliabilityCurve(labels, probabilities, 2, 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toEqual({ lower: 0, upper: 0.5, confidence: 0.5, accuracy: 0, count: 1 });
    expect(bins[1]!.count).toBe(3);
    expect(bins[1]!.confidence).toBeCloseTo(2.3 / 3, 12);
    expect(bins[1]!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(ece).toBeCloseTo(0.2, 12);
    expect(mce).toBeCloseTo(0.5, 12);
    expect(expectedCalibrationError(labels, probabilities, 2, 2)).toBeCloseTo(0.2, 12);
  });

  it('marks empty bins with null and a perfectly calibrated set has ECE 0', () => {
    // confidences 1, 1 both correct: only the last bin is filled, gap 0
    const { bins, ece } = reliabilityCurve(Int32Array.from([0, 1]), Float32Array.from([1, 0, 0, 1]), 2, 4);
    expect(bins.map((bin) => bin.count)).toEqual([0, 0, 0, 2]);
    expect(bins[0]).toMatchObject({ confidence: null, accuracy: null });
    expect(ece).toBe(0);
  });

  it('rejects probabilities outside [0, 1] and a bin count below 1', () => {
    expect(() => reliabilityCurve(Int32Array.from([0]), Float32Array.from([1.5, -0.5]), 2)).toThrow(expect.objectContaining({ code: 'EVAL_VALUE_INVALID' }));
    expect(() => reliabilityCurve(labels, probabilities, 2, 0)).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
  });
});

describe('binary reliability', () => {
  it('compares the mean positive probability with the fraction of positives per bin', () => {
    // scores 0.1 0.2 (targets 0 1) → bin (0, .5]: confidence 0.15, accuracy 1/2, gap 0.35
    // scores 0.8 0.9 (targets 1 1) → bin (.5, 1]: confidence 0.85, accuracy 1, gap 0.15
    // ECE = 2/4·0.35 + 2/4·0.15 = 0.25
    const { bins, ece } = binaryReliabilityCurve(Uint8Array.from([0, 1, 1, 1]), Float64Array.from([0.1, 0.2, 0.8, 0.9]), 2);
    expect(bins[0]!.confidence).toBeCloseTo(0.15, 12);
    expect(bins[0]!.accuracy).toBe(0.5);
    expect(ece).toBeCloseTo(0.25, 12);
  });
});
