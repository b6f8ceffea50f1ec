import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../config/load.js';
import { chooseDecision } from './choose-decision.js';

const config = (decision: string, evaluate = '') =>
  parsePipelineConfig(`version: 1\nname: chest\ndata:\n  source: { kind: folder, root: images }\nindex: { kind: flat, k: 7 }\n${evaluate}${decision}`, 'pipeline.yaml');

// A synthetic val split of 20 images over [normal, pneumonia]: the pneumonia probabilities of its
// 10 pneumonia and 10 normal images.
const pneumonia = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
const normal = [0.75, 0.5, 0.45, 0.35, 0.25, 0.15, 0.1, 0.08, 0.05, 0.01];
const labels = [...pneumonia.map(() => 1), ...normal.map(() => 0)];
const probabilities = [...pneumonia, ...normal].flatMap((p) => [1 - p, p]);

describe('chooseDecision', () => {
  it('chooses each class its threshold for a target sensitivity on val, with exact counts, and resolves the referral defaults', () => {
    const params = chooseDecision(config('decision: { operatingPoint: { target: sensitivity, value: 0.9 } }\n', 'evaluate: { positiveClass: pneumonia }\n'), ['normal', 'pneumonia'], { labels, probabilities });
    expect(params.positiveClass).toBe('pneumonia');
    expect(params.valSamples).toBe(20);
    const finding = params.operatingPoints.find((p) => p.label === 'pneumonia')!;
    expect(finding).toEqual({ label: 'pneumonia', target: 'sensitivity', value: 0.9, threshold: 0.3, sensitivity: 0.9, specificity: 0.6, counts: { truePositives: 9, falseNegatives: 1, trueNegatives: 6, falsePositives: 4 } });
    // Reached on the split itself: calling p ≥ threshold finds 9 of the 10 pneumonia images.
    expect(pneumonia.filter((p) => p >= finding.threshold)).toHaveLength(9);
    expect(params.operatingPoints.map((p) => p.label)).toEqual(['normal', 'pneumonia']);
    expect(params.referral).toEqual({ minProbability: 0.5, maxEntropy: 0.8, knnDisagreement: true, knnK: 7, noOperatingPoint: true });
  });

  it('takes a class its own target, switches referral checks off, and has no operating points by default', () => {
    const params = chooseDecision(
      config('decision:\n  classes: { pneumonia: { target: specificity, value: 0.9 } }\n  referral: { minProbability: false, maxEntropy: false, knnDisagreement: false, knnK: 2 }\n'),
      ['normal', 'pneumonia'],
      { labels, probabilities },
    );
    expect(params.operatingPoints).toEqual([{ label: 'pneumonia', target: 'specificity', value: 0.9, threshold: 0.55, sensitivity: 0.7, specificity: 0.9, counts: { truePositives: 7, falseNegatives: 3, trueNegatives: 9, falsePositives: 1 } }]);
    expect(params.positiveClass).toBeNull();
    expect(params.referral).toEqual({ minProbability: null, maxEntropy: null, knnDisagreement: false, knnK: 2, noOperatingPoint: true });
    expect(chooseDecision(config(''), ['normal', 'pneumonia'], { labels, probabilities: null })).toMatchObject({ operatingPoints: [], valSamples: 0 });
  });

  it('refuses operating points without a val split, an unknown class, and a positive class of a multi-class task', () => {
    const withPoint = config('decision: { operatingPoint: { target: sensitivity, value: 0.95 } }\n');
    expect(() => chooseDecision(withPoint, ['normal', 'pneumonia'], { labels: [], probabilities: null })).toThrow(/chosen on the val split, and it has no images/);
    expect(() => chooseDecision(config('decision: { classes: { effusion: { target: sensitivity, value: 0.9 } } }\n'), ['normal', 'pneumonia'], { labels, probabilities })).toThrow(/decision\.classes: "effusion" is not one of the classes: normal, pneumonia/);
    expect(() => chooseDecision(config('decision: { positiveClass: a }\n'), ['a', 'b', 'c'], { labels, probabilities })).toThrow(/needs a two-class task; this one has 3 classes/);
  });
});

describe('the decision section, validated with the config', () => {
  const yaml = (decision: string) => `version: 1\nname: chest\ndata:\n  source: { kind: folder, root: images }\n  classes: [normal, pneumonia]\nindex: { kind: flat }\n${decision}`;

  it('names the YAML line, the bad value and the valid options', () => {
    expect(() => parsePipelineConfig(yaml('decision:\n  operatingPoint: { target: recall, value: 0.95 }\n'), 'pipeline.yaml')).toThrow(/pipeline\.yaml:8:29: decision\.operatingPoint\.target: .*sensitivity.*specificity/);
    expect(() => parsePipelineConfig(yaml('decision:\n  referral: { maxEntropy: 1.5 }\n'), 'pipeline.yaml')).toThrow(/pipeline\.yaml:8:.*decision\.referral\.maxEntropy/);
  });

  it('refuses classes that are not among data.classes, and a positive class of more than two', () => {
    expect(() => parsePipelineConfig(yaml('decision:\n  classes: { effusion: { target: sensitivity, value: 0.9 } }\n'), 'pipeline.yaml')).toThrow(/decision\.classes\.effusion: expected one of normal\|pneumonia, got "effusion"/);
    expect(() => parsePipelineConfig(yaml('decision: { positiveClass: nodule }\n'), 'pipeline.yaml')).toThrow(/decision\.positiveClass: expected one of normal\|pneumonia, got "nodule"/);
    const three = yaml('decision: { positiveClass: normal }\n').replace('[normal, pneumonia]', '[normal, pneumonia, effusion]');
    expect(() => parsePipelineConfig(three, 'pipeline.yaml')).toThrow(/a positive class needs two classes, and data\.classes has 3/);
  });
});
