import { describe, expect, it } from 'vitest';
import { EvalError } from '../errors.js';
import {
  accuracy,
  averagedScores,
  balancedAccuracy,
  classScores,
  cohenKappa,
} from './classification.js';
import { argmaxPredictions, confusionMatrix } from './confusion-matrix.js';

// Hand-worked case, 3 classes, 6 samples:
//   labels      0 0 1 1 1 2
//   predictions 0 1 1 1 2 2
// confusion (rows truth, columns prediction):
//   [1 1 0]   support   = [2, 3, 1]
//   [0 2 1]   predicted = [1, 3, 2]
//   [0 0 1]
// class 0: tp 1 fp 0 fn 1 tn 4 → P 1,   R 1/2, F1 2·1/(2+0+1) = 2/3, spec 4/4 = 1
// class 1: tp 2 fp 1 fn 1 tn 2 → P 2/3, R 2/3, F1 4/(4+1+1) = 2/3,   spec 2/3
// class 2: tp 1 fp 1 fn 0 tn 4 → P 1/2, R 1,   F1 2/(2+1+0) = 2/3,   spec 4/5
const labels = Int32Array.from([0, 0, 1, 1, 1, 2]);
const predictions = Int32Array.from([0, 1, 1, 1, 2, 2]);

describe('confusion matrix', () => {
  it('counts rows = truth, columns = prediction', () => {
    expect(confusionMatrix(labels, predictions, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
  });

  it('argmax gives the first of tied maxima, as numpy does', () => {
    // rows: [0.2 0.5 0.3] → 1; [0.4 0.4 0.2] → 0 (tie); [0.1 0.2 0.7] → 2
    expect(Array.from(argmaxPredictions(Float32Array.from([0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.2, 0.7]), 3))).toEqual([1, 0, 2]);
  });

  it('rejects labels out of range, mismatched lengths and ragged probability matrices with EvalError codes', () => {
    expect(() => confusionMatrix(Int32Array.from([0, 3]), Int32Array.from([0, 1]), 3)).toThrow(
      expect.objectContaining({ code: 'EVAL_LABEL_OUT_OF_RANGE', message: expect.stringContaining('labels[1] is 3; expected a class index in 0..2') }),
    );
    expect(() => confusionMatrix(Int32Array.from([0, 1]), Int32Array.from([0]), 3)).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
    expect(() => argmaxPredictions(new Float32Array(7), 3)).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
    expect(() => argmaxPredictions(Float32Array.from([0.5, Number.NaN]), 2)).toThrow(expect.objectContaining({ code: 'EVAL_VALUE_INVALID' }));
    expect(() => accuracy(new Int32Array(0), new Int32Array(0), 2)).toThrow(EvalError);
  });
});

describe('label metrics on the hand-worked case', () => {
  it('accuracy = (1 + 2 + 1) / 6', () => {
    expect(accuracy(labels, predictions, 3)).toBeCloseTo(4 / 6, 12);
  });

  it('balanced accuracy = mean recall = (1/2 + 2/3 + 1) / 3 = 13/18', () => {
    expect(balancedAccuracy(labels, predictions, 3)).toBeCloseTo(13 / 18, 12);
  });

  it('per-class precision, recall, F1, specificity and support', () => {
    const scores = classScores(labels, predictions, 3);
    const expected = [
      { precision: 1, recall: 1 / 2, f1: 2 / 3, specificity: 1, support: 2, predicted: 1 },
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, specificity: 2 / 3, support: 3, predicted: 3 },
      { precision: 1 / 2, recall: 1, f1: 2 / 3, specificity: 4 / 5, support: 1, predicted: 2 },
    ];
    scores.forEach((entry, c) => {
      for (const [key, value] of Object.entries(expected[c]!)) expect(entry[key as keyof typeof entry], `class ${c} ${key}`).toBeCloseTo(value, 12);
    });
  });

  it('macro, micro and weighted averages', () => {
    const { macro, micro, weighted } = averagedScores(labels, predictions, 3);
    // macro P = (1 + 2/3 + 1/2)/3 = 13/18; macro R = 13/18; macro F1 = (2/3·3)/3 = 2/3
    expect(macro.precision).toBeCloseTo(13 / 18, 12);
    expect(macro.recall).toBeCloseTo(13 / 18, 12);
    expect(macro.f1).toBeCloseTo(2 / 3, 12);
    // micro: pooled tp 4 of 6 predictions and 6 truths → 4/6 for P, R and F1
    expect(micro.precision).toBeCloseTo(4 / 6, 12);
    expect(micro.f1).toBeCloseTo(4 / 6, 12);
    // weighted P = (2·1 + 3·2/3 + 1·1/2)/6 = 4.5/6 = 0.75; weighted F1 = 2/3 (every class has 2/3)
    expect(weighted.precision).toBeCloseTo(0.75, 12);
    expect(weighted.recall).toBeCloseTo(4 / 6, 12); // weighted recall is always accuracy
    expect(weighted.f1).toBeCloseTo(2 / 3, 12);
  });

  it('macro averages skip a class absent from both labels and predictions', () => {
    // Same data declared with 4 classes: class 3 never occurs, so the macro F1 stays 2/3 (not 2/4).
    expect(averagedScores(labels, predictions, 4).macro.f1).toBeCloseTo(2 / 3, 12);
    // A class predicted but never true counts with recall 0 and precision 0:
    // labels 0 0 1, predictions 0 2 1 → class 2: P 0/1, R 0 (no support), F1 0
    // F1 per class: class 0 tp1 fp0 fn1 → 2/3; class 1 → 1; class 2 → 0 → macro (2/3 + 1 + 0)/3 = 5/9
    expect(averagedScores(Int32Array.from([0, 0, 1]), Int32Array.from([0, 2, 1]), 3).macro.f1).toBeCloseTo(5 / 9, 12);
    // balanced accuracy only averages classes present in the labels: (1/2 + 1)/2 = 3/4
    expect(balancedAccuracy(Int32Array.from([0, 0, 1]), Int32Array.from([0, 2, 1]), 3)).toBeCloseTo(3 / 4, 12);
  });

  it("Cohen's kappa = (p_o − p_e)/(1 − p_e) = (24/36 − 13/36)/(23/36) = 11/23", () => {
    // p_o = 4/6; p_e = (2·1 + 3·3 + 1·2)/36 = 13/36
    expect(cohenKappa(labels, predictions, 3)).toBeCloseTo(11 / 23, 12);
    expect(cohenKappa(Int32Array.from([1, 1]), Int32Array.from([1, 1]), 2)).toBeNaN();
  });
});
