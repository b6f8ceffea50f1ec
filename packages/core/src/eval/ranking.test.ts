import { describe, expect, it } from 'vitest';
import { averagePrecision, averagePrecisionOneVsRest, precisionRecallCurve, rocAuc, rocAucOneVsRest, rocCurve } from './ranking.js';

// Hand-worked binary case with a tie between a positive and a negative at 0.7:
//   targets 1   0   1   0   1   0
//   scores  0.9 0.8 0.7 0.7 0.3 0.1
// P = 3, N = 3. Walking down the distinct thresholds (tp, fp):
//   +∞ (0,0)  0.9 (1,0)  0.8 (1,1)  0.7 (2,2)  0.3 (3,2)  0.1 (3,3)
const targets = Uint8Array.from([1, 0, 1, 0, 1, 0]);
const scores = Float64Array.from([0.9, 0.8, 0.7, 0.7, 0.3, 0.1]);

describe('ROC', () => {
  it('has one point per distinct score, ties entering together', () => {
    const curve = rocCurve(targets, scores);
    expect(Array.from(curve.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.3, 0.1]);
    expect(Array.from(curve.fpr)).toEqual([0, 0, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(Array.from(curve.tpr)).toEqual([0, 1 / 3, 1 / 3, 2 / 3, 1, 1]);
  });

  it('AUC by the trapezoid rule gives a tie half credit: 11/18', () => {
    // trapezoids: 1/3·(1/3+1/3)/2 = 1/9, 1/3·(1/3+2/3)/2 = 1/6, 1/3·(1+1)/2 = 1/3 → 11/18.
    // Mann-Whitney check: 0.9 beats 3 negatives, 0.7 beats 0.1 and ties 0.7 (½), 0.3 beats 0.1 → 5.5/9.
    expect(rocAuc(targets, scores)).toBeCloseTo(11 / 18, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for constant scores, NaN without a negative', () => {
    expect(rocAuc(Uint8Array.from([1, 1, 0]), Float32Array.from([3, 2, 1]))).toBe(1);
    expect(rocAuc(Uint8Array.from([0, 0, 1]), Float32Array.from([3, 2, 1]))).toBe(0);
    expect(rocAuc(Uint8Array.from([0, 1, 0, 1]), Float32Array.from([5, 5, 5, 5]))).toBe(0.5);
    expect(rocAuc(Uint8Array.from([1, 1]), Float32Array.from([0.2, 0.4]))).toBeNaN();
  });

  it('rejects targets other than 0/1 and non-finite scores', () => {
    expect(() => rocAuc(Int32Array.from([0, 2]), Float32Array.from([1, 2]))).toThrow(expect.objectContaining({ code: 'EVAL_LABEL_OUT_OF_RANGE' }));
    expect(() => rocAuc(Int32Array.from([0, 1]), Float32Array.from([1, Number.POSITIVE_INFINITY]))).toThrow(expect.objectContaining({ code: 'EVAL_VALUE_INVALID' }));
  });
});

describe('average precision', () => {
  it('is Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds: 0.7', () => {
    // threshold: precision, recall → 0.9: 1, 1/3; 0.8: 1/2, 1/3; 0.7: 2/4, 2/3; 0.3: 3/5, 1; 0.1: 3/6, 1
    const curve = precisionRecallCurve(targets, scores);
    expect(Array.from(curve.precision)).toEqual([1, 1 / 2, 2 / 4, 3 / 5, 3 / 6]);
    expect(Array.from(curve.recall)).toEqual([1 / 3, 1 / 3, 2 / 3, 1, 1]);
    // AP = 1/3·1 + 0·1/2 + 1/3·1/2 + 1/3·3/5 + 0·1/2 = 10/30 + 5/30 + 6/30 = 0.7
    expect(averagePrecision(targets, scores)).toBeCloseTo(0.7, 12);
  });

  it('is NaN without a positive', () => {
    expect(averagePrecision(Uint8Array.from([0, 0]), Float32Array.from([0.1, 0.2]))).toBeNaN();
  });
});

describe('one-vs-rest', () => {
  // 3 classes, 4 samples, probabilities row-major:
  //   label 0: [0.7 0.2 0.1]   label 1: [0.3 0.4 0.3]   label 2: [0.2 0.5 0.3]   label 0: [0.1 0.1 0.8]
  const labels = Int32Array.from([0, 1, 2, 0]);
  const probabilities = Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8]);

  it('averages per-class AUCs (macro) and weights them by support (weighted)', () => {
    // class 0: positives {0.7, 0.1}, negatives {0.3, 0.2}: 0.7 beats both (2), 0.1 none → 2/4 = 1/2
    // class 1: positive {0.4}, negatives {0.2, 0.5, 0.1}: beats 0.2 and 0.1 → 2/3
    // class 2: positive {0.3}, negatives {0.1, 0.3, 0.8}: beats 0.1, ties 0.3 → 1.5/3 = 1/2
    const auc = rocAucOneVsRest(labels, probabilities, 3);
    expect(auc.perClass[0]).toBeCloseTo(1 / 2, 12);
    expect(auc.perClass[1]).toBeCloseTo(2 / 3, 12);
    expect(auc.perClass[2]).toBeCloseTo(1 / 2, 12);
    expect(auc.macro).toBeCloseTo((1 / 2 + 2 / 3 + 1 / 2) / 3, 12);
    // supports 2, 1, 1 → (2·1/2 + 2/3 + 1/2)/4
    expect(auc.weighted).toBeCloseTo((1 + 2 / 3 + 1 / 2) / 4, 12);
  });

  it('leaves a class with no sample out of the macro average (NaN per class)', () => {
    // class 3 has a probability column but no sample: its AUC and AP are undefined.
    const four = Float64Array.from([0.7, 0.2, 0.1, 0, 0.3, 0.4, 0.3, 0, 0.2, 0.5, 0.3, 0, 0.1, 0.1, 0.8, 0]);
    const auc = rocAucOneVsRest(labels, four, 4);
    expect(auc.perClass[3]).toBeNaN();
    expect(auc.macro).toBeCloseTo((1 / 2 + 2 / 3 + 1 / 2) / 3, 12);
    const ap = averagePrecisionOneVsRest(labels, four, 4);
    expect(ap.perClass[3]).toBeNaN();
    // class 1 AP: scores desc 0.5(neg) 0.4(pos) 0.2 0.1 → first hit at rank 2 → P 1/2, R 1 → AP 1/2
    expect(ap.perClass[1]).toBeCloseTo(1 / 2, 12);
  });
});
