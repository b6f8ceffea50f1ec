import { describe, expect, it } from 'vitest';
import { scalarMetricNames } from '../config/index.js';
import { evaluateClassifier, extraScalarMetricNames, scalarMetrics } from './evaluate-classifier.js';

// The classification test's case, with probabilities whose argmax gives its predictions:
//   sample label  probabilities      argmax
//   0      0      [0.7 0.2 0.1]      0
//   1      0      [0.3 0.6 0.1]      1
//   2      1      [0.1 0.8 0.1]      1
//   3      1      [0.2 0.5 0.3]      1
//   4      1      [0.2 0.3 0.5]      2
//   5      2      [0.1 0.1 0.8]      2
const classes = ['a', 'b', 'c'];
const labels = Int32Array.from([0, 0, 1, 1, 1, 2]);
const probabilities = Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8]);

describe('evaluateClassifier', () => {
  const evaluation = evaluateClassifier(labels, probabilities, classes);

  it("has every scalar metric the pipeline config accepts, under the config's own names", () => {
    for (const name of [...scalarMetricNames, ...extraScalarMetricNames]) expect(typeof evaluation[name], name).toBe('number');
    expect(Object.keys(scalarMetrics(evaluation)).sort()).toEqual([...scalarMetricNames, ...extraScalarMetricNames].sort());
  });

  it('reports the label metrics as macro averages (see classification.test.ts for the arithmetic)', () => {
    expect(evaluation.accuracy).toBeCloseTo(4 / 6, 12);
    expect(evaluation['balanced-accuracy']).toBeCloseTo(13 / 18, 12);
    expect(evaluation.precision).toBeCloseTo(13 / 18, 12);
    expect(evaluation.recall).toBeCloseTo(13 / 18, 12);
    expect(evaluation.sensitivity).toBeCloseTo(13 / 18, 12);
    expect(evaluation.specificity).toBeCloseTo((1 + 2 / 3 + 4 / 5) / 3, 12);
    expect(evaluation.f1).toBeCloseTo(2 / 3, 12);
    expect(evaluation['macro-f1']).toBeCloseTo(2 / 3, 12);
    expect(evaluation['micro-f1']).toBeCloseTo(4 / 6, 12);
    expect(evaluation['weighted-f1']).toBeCloseTo(2 / 3, 12);
    expect(evaluation['cohen-kappa']).toBeCloseTo(11 / 23, 12);
    expect(evaluation.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
    expect(evaluation.perClass.map((entry) => [entry.label, entry.support, entry.predicted])).toEqual([
      ['a', 2, 1],
      ['b', 3, 3],
      ['c', 1, 2],
    ]);
  });

  it('reports ranking metrics one-vs-rest', () => {
    // class a: positives 0.7, 0.3 beat every negative (0.1 0.2 0.2 0.1) → 1
    // class b: positives 0.8 0.5 0.3 vs negatives 0.2 0.6 0.1 → (3 + 2 + 2)/9 = 7/9
    // class c: positive 0.8 beats all → 1
    expect(evaluation.perClass.map((entry) => entry.auroc)).toEqual([1, expect.closeTo(7 / 9, 12), 1]);
    expect(evaluation.auroc).toBeCloseTo((2 + 7 / 9) / 3, 12);
    // AP of b: 0.8 (hit: P 1, R 1/3), 0.6 (miss), 0.5 (hit: P 2/3, R 2/3), 0.3 (hit: P 3/4, R 1)
    //   → (1 + 2/3 + 3/4)/3 = 29/36; a and c have AP 1
    expect(evaluation.auprc).toBeCloseTo((2 + 29 / 36) / 3, 12);
  });

  it('reports probabilistic scores and top-label calibration', () => {
    expect(evaluation['log-loss']).toBeCloseTo(-(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.5) + Math.log(0.3) + Math.log(0.8)) / 6, 12);
    // Σ_c (p − y)² per sample: 0.14, 0.86, 0.06, 0.38, 0.78, 0.06 → 2.28 / 6
    expect(evaluation.brier).toBeCloseTo(0.38, 12);
    // 15 bins; confidences (outcome): 0.7 (✓) bin 10, 0.6 (✗) bin 8, 0.8 (✓) bin 11, 0.5 (✓) bin 7, 0.5 (✗) bin 7, 0.8 (✓) bin 11
    //   gaps: bin 7 |0.5 − 0.5| = 0, bin 8 0.6, bin 10 0.3, bin 11 0.2 → ECE = (0 + 0.6 + 0.3 + 2·0.2)/6, MCE 0.6
    expect(evaluation.ece).toBeCloseTo(1.3 / 6, 12);
    expect(evaluation.mce).toBeCloseTo(0.6, 12);
    expect(evaluation.reliability).toHaveLength(15);
    expect(evaluation.reliability.map((bin) => bin.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 2, 0, 0, 0]);
  });
});

describe('evaluateClassifier with a positive class', () => {
  // labels normal normal finding finding; P(finding) = 0.1 0.4 0.3 0.8
  const binaryLabels = Int32Array.from([0, 0, 1, 1]);
  const binary = Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.7, 0.3, 0.2, 0.8]);
  const names = ['normal', 'finding'];

  it('refers the class-wise metrics to that class, with argmax or a threshold', () => {
    // argmax: predictions 0 0 0 1 → sensitivity 1/2, specificity 1, precision 1
    const argmax = evaluateClassifier(binaryLabels, binary, names, { positiveClass: 'finding' });
    expect(argmax).toMatchObject({ sensitivity: 0.5, specificity: 1, precision: 1, positiveClass: 'finding', threshold: null });
    // threshold 0.3: 0.4, 0.3, 0.8 called → predictions 0 1 1 1 → sensitivity 1, specificity 1/2,
    //   precision 2/3, F1 = 2·(2/3)·1/(2/3 + 1) = 0.8
    const thresholded = evaluateClassifier(binaryLabels, binary, names, { positiveClass: 'finding', threshold: 0.3 });
    expect(thresholded.sensitivity).toBe(1);
    expect(thresholded.specificity).toBe(0.5);
    expect(thresholded.precision).toBeCloseTo(2 / 3, 12);
    expect(thresholded.f1).toBeCloseTo(0.8, 12);
    expect(thresholded.accuracy).toBeCloseTo(3 / 4, 12);
    // AUC: positives 0.3 (beats 0.1) and 0.8 (beats 0.1, 0.4) → 3/4
    expect(thresholded.auroc).toBeCloseTo(3 / 4, 6);
    // binary Brier of P(finding): (0.1² + 0.4² + 0.7² + 0.2²)/4 = 0.175
    expect(thresholded.brier).toBeCloseTo(0.175, 6);
  });

  it('rejects an unknown class, a threshold without a positive class, and a mismatched matrix', () => {
    expect(() => evaluateClassifier(binaryLabels, binary, names, { positiveClass: 'tumour' })).toThrow(
      expect.objectContaining({ code: 'EVAL_CLASS_UNKNOWN', message: expect.stringContaining('expected one of normal, finding') }),
    );
    expect(() => evaluateClassifier(binaryLabels, binary, names, { threshold: 0.5 })).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
    expect(() => evaluateClassifier(binaryLabels, binary, ['a', 'b', 'c'])).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
  });
});

describe('scalarMetrics', () => {
  it("keeps the requested scalar names, skipping non-scalar ones and undefined values", () => {
    // every sample of one class: the AUC is undefined (NaN) and is left out
    const oneClass = evaluateClassifier(Int32Array.from([0, 0]), Float32Array.from([0.9, 0.1, 0.8, 0.2]), ['x', 'y']);
    expect(oneClass.auroc).toBeNaN();
    expect(scalarMetrics(oneClass, ['accuracy', 'auroc', 'confusion-matrix'])).toEqual({ accuracy: 1 });
  });
});
