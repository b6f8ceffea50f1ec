import { describe, expect, it } from 'vitest';
import { argmaxNeverRefer, type DecisionParams, type OperatingPointRecord } from '../../bundle/kinds/decision.js';
import { decide } from './decide.js';

const model = { name: 'chest', version: 3, configHash: 'abc' };
const evidence = [{ id: 'case-1', label: 'normal', score: 0.9 }];
const counts = { truePositives: 19, falseNegatives: 1, trueNegatives: 15, falsePositives: 5 };
const point = (label: string, threshold: number): OperatingPointRecord => ({ label, target: 'sensitivity', value: 0.95, threshold, sensitivity: 0.95, specificity: 0.75, counts });
const policy = { minProbability: 0.5, maxEntropy: 0.8, knnDisagreement: true, knnK: 5, noOperatingPoint: true };
const binary: DecisionParams = { positiveClass: 'pneumonia', operatingPoints: [point('pneumonia', 0.2)], valSamples: 40, referral: policy };

describe('decide', () => {
  it('calls the positive class at its operating point, below the argmax', () => {
    const decision = decide(['normal', 'pneumonia'], { ...binary, referral: { ...policy, maxEntropy: null, minProbability: null } }, model, { probabilities: [0.7, 0.3], knnVote: [2, 3], evidence });
    expect(decision).toMatchObject({ outcome: 'positive', label: 'pneumonia', classIndex: 1, positiveClass: 'pneumonia', model, evidence });
    expect(decision.reasons).toEqual([{ code: 'operating-point', label: 'pneumonia', probability: 0.3, threshold: 0.2, reached: true, target: 'sensitivity', value: 0.95 }]);
    expect(decision.summary).toBe('Positive (pneumonia) at the 95%-sensitivity point (p 0.30 ≥ 0.20)');
    expect(decision.thresholds).toEqual(binary.operatingPoints);
  });

  it('decides positive or negative by the more probable class when the finding has no operating point', () => {
    const decision = decide(['normal', 'pneumonia'], { ...argmaxNeverRefer(5), positiveClass: 'pneumonia' }, model, { probabilities: [0.3, 0.7], knnVote: [0, 5], evidence });
    expect(decision).toMatchObject({ outcome: 'positive', label: 'pneumonia', summary: 'Positive (pneumonia) (most probable, p 0.70)' });
    expect(decide(['normal', 'pneumonia'], { ...argmaxNeverRefer(5), positiveClass: 'pneumonia' }, model, { probabilities: [0.8, 0.2], knnVote: [5, 0], evidence })).toMatchObject({ outcome: 'negative', label: 'normal' });
  });

  it('is negative below the threshold', () => {
    const decision = decide(['normal', 'pneumonia'], binary, model, { probabilities: [0.95, 0.05], knnVote: [5, 0], evidence });
    expect(decision).toMatchObject({ outcome: 'negative', label: 'normal', summary: 'Negative (pneumonia) at the 95%-sensitivity point (p 0.05 < 0.20)' });
    expect(decision.uncertainty).toMatchObject({ maxProbability: 0.95, knnAgreement: 1, knnLabel: 'normal' });
  });

  it('refers an uncertain input, naming its entropy and probability', () => {
    const decision = decide(['a', 'b', 'c'], { ...argmaxNeverRefer(5), referral: policy }, model, { probabilities: [0.4, 0.35, 0.25], knnVote: [3, 1, 1], evidence });
    expect(decision.outcome).toBe('refer');
    expect(decision.label).toBe('a');
    expect(decision.reasons.map((r) => r.code)).toEqual(['argmax', 'low-probability', 'high-entropy']);
    expect(decision.uncertainty.entropy).toBeCloseTo(-(0.4 * Math.log(0.4) + 0.35 * Math.log(0.35) + 0.25 * Math.log(0.25)) / Math.log(3), 12);
    expect(decision.summary).toMatch(/^Refer — low confidence \(max probability 0\.40 < 0\.50\); uncertain \(entropy 0\.98\)$/);
  });

  it('refers a confident prediction the similar cases vote against', () => {
    const decision = decide(['a', 'b', 'c'], { ...argmaxNeverRefer(5), referral: policy }, model, { probabilities: [0.9, 0.05, 0.05], knnVote: [1, 4, 0], evidence });
    expect(decision.outcome).toBe('refer');
    expect(decision.reasons.slice(1)).toEqual([{ code: 'knn-disagreement', decidedLabel: 'a', knnLabel: 'b', knnAgreement: 0.2 }]);
    expect(decision.summary).toBe('Refer — similar cases disagree (they vote b, the model a)');
  });

  it('a tie in the vote of the similar cases is no disagreement', () => {
    const decision = decide(['a', 'b', 'c'], { ...argmaxNeverRefer(4), referral: policy }, model, { probabilities: [0.1, 0.85, 0.05], knnVote: [2, 2, 0], evidence });
    expect(decision).toMatchObject({ outcome: 'class', label: 'b', uncertainty: { knnLabel: 'b', knnAgreement: 0.5 } });
  });

  it('never refers with every check off (bundles without a decision stage): argmax', () => {
    const decision = decide(['a', 'b', 'c'], argmaxNeverRefer(5), model, { probabilities: [0.34, 0.33, 0.33], knnVote: [0, 5, 0], evidence: [] });
    expect(decision).toMatchObject({ outcome: 'class', label: 'a', reasons: [{ code: 'argmax', label: 'a', probability: 0.34 }], summary: 'a (most probable, p 0.34)' });
    expect(decision.uncertainty.knnLabel).toBe('b');
  });

  it('decides the most probable class reaching its operating point, and refers when none does', () => {
    const params: DecisionParams = { positiveClass: null, operatingPoints: [point('a', 0.8), point('b', 0.3), point('c', 0.5)], valSamples: 40, referral: { ...policy, minProbability: null, maxEntropy: null, knnDisagreement: false } };
    expect(decide(['a', 'b', 'c'], params, model, { probabilities: [0.6, 0.35, 0.05], knnVote: [0, 0, 0], evidence })).toMatchObject({ outcome: 'class', label: 'b' });
    const none = decide(['a', 'b', 'c'], params, model, { probabilities: [0.6, 0.2, 0.2], knnVote: [0, 0, 0], evidence });
    expect(none).toMatchObject({ outcome: 'refer', label: 'a', summary: 'Refer — no class reaches its operating point' });
    expect(none.uncertainty.knnAgreement).toBeNull();
  });
});
