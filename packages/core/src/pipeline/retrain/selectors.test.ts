import { describe, expect, it } from 'vitest';
import { averageProbabilities } from '../ensemble-average.js';
import { selectByEnsemble } from './ensemble-selector.js';
import { scoreModel, type HeldOutSet } from './held-out.js';
import { selectByMetric } from './metric-selector.js';
import { numericLeaves } from './numeric-leaves.js';
import { selectByRule } from './rule-selector.js';
import { selectModel } from './select-model.js';

const CLASSES = ['normal', 'nodule', 'effusion'];

/** 30 held-out samples, 10 per class. */
const heldOut: HeldOutSet = { labels: Int32Array.from({ length: 30 }, (_, i) => i % 3), classes: CLASSES, calibrationBins: 10 };

/**
 * A model that answers `confidence` on the true class except on the samples in `wrong`, where it
 * puts `confidence` on the next class instead.
 */
function model(wrong: (i: number) => boolean, confidence: number | ((i: number) => number) = 0.8) {
  const p = new Float32Array(heldOut.labels.length * 3);
  heldOut.labels.forEach((label, i) => {
    const answer = wrong(i) ? (label + 1) % 3 : label;
    const q = typeof confidence === 'number' ? confidence : confidence(i);
    for (let c = 0; c < 3; c++) p[i * 3 + c] = c === answer ? q : (1 - q) / 2;
  });
  return scoreModel(heldOut, p);
}

describe('metric selector', () => {
  const metric = { kind: 'metric', metric: 'accuracy', margin: 0.05, alpha: 0.05 } as const;

  it('selects a challenger better by the margin with a significant McNemar test in its favour', () => {
    const verdict = selectByMetric(metric, heldOut, model((i) => i < 12), model((i) => i < 2));
    expect(verdict.selected).toBe('challenger');
    expect(verdict.evidence).toMatchObject({ champion: 18 / 30, challenger: 28 / 30, direction: 'higher', mcnemar: { b: 0, c: 10, method: 'exact-binomial' } });
    expect(verdict.evidence.mcnemar.pValue).toBeCloseTo(2 / 1024, 12);
  });

  it('keeps the champion when the gain is under the margin, however significant', () => {
    const verdict = selectByMetric({ ...metric, margin: 0.4 }, heldOut, model((i) => i < 12), model((i) => i < 2));
    expect(verdict.selected).toBe('champion');
    expect(verdict.reason).toMatch(/not better by the margin 0.4/);
  });

  it('keeps the champion when the gain is over the margin but the paired predictions do not differ significantly', () => {
    // 4 of 30 better (0.133 > margin), but b = 1, c = 5: exact p = 0.219.
    const verdict = selectByMetric(metric, heldOut, model((i) => i < 5), model((i) => i === 29));
    expect(verdict.evidence.mcnemar).toMatchObject({ b: 1, c: 5 });
    expect(verdict.selected).toBe('champion');
    expect(verdict.reason).toMatch(/do not differ significantly/);
  });

  it('reads lower-is-better metrics the other way: a smaller ECE is the improvement', () => {
    // Same decisions, the challenger's probabilities better calibrated (20/30 right at 0.9 confidence vs at 0.67).
    const champion = model((i) => i < 10, 0.9);
    const challenger = model((i) => i < 10, 0.67);
    const verdict = selectByMetric({ ...metric, metric: 'ece', margin: 0.1 }, heldOut, champion, challenger);
    expect(verdict.evidence.direction).toBe('lower');
    expect(verdict.evidence.improvement).toBeCloseTo(champion.evaluation.ece - challenger.evaluation.ece, 12);
    expect(verdict.evidence.improvement).toBeGreaterThan(0.1);
    // Identical decisions: no discordant pair, so McNemar cannot back the change.
    expect(verdict.evidence.mcnemar).toMatchObject({ b: 0, c: 0, pValue: 1 });
    expect(verdict.selected).toBe('champion');
  });
});

describe('rule selector', () => {
  const rule = { kind: 'rule', maxSensitivityDrop: 0.1, maxEceIncrease: 0.05 } as const;

  it("refuses a challenger more accurate overall whose one class's sensitivity drops too far, naming the class", () => {
    // The champion misses 6 normals and 3 nodules; the challenger gets every normal but misses 2 effusions of 10.
    const champion = model((i) => (i % 3 === 0 && i < 18) || (i % 3 === 1 && i < 9));
    const challenger = model((i) => i % 3 === 2 && i < 6);
    expect(challenger.evaluation.accuracy).toBeGreaterThan(champion.evaluation.accuracy);
    const verdict = selectByRule(rule, heldOut, champion, challenger);
    expect(verdict.selected).toBe('champion');
    expect(verdict.evidence.violations).toEqual(['sensitivity of effusion drops by 0.2 (1 → 0.8) > 0.1']);
    expect(verdict.evidence.sensitivity.map((s) => s.label)).toEqual(CLASSES);
  });

  it('accepts a challenger within both limits, and refuses one whose calibration worsens beyond the limit', () => {
    // 27 of 30 right: 0.9 confidence is calibrated (ECE 0), 0.88 is off by 0.02, 0.99 by 0.09.
    const champion = model((i) => i < 3, 0.9);
    expect(selectByRule(rule, heldOut, champion, model((i) => i < 3, 0.88)).selected).toBe('challenger');
    const overconfident = selectByRule(rule, heldOut, champion, model((i) => i < 3, 0.99));
    expect(overconfident.selected).toBe('champion');
    expect(overconfident.evidence.violations).toEqual([expect.stringMatching(/^ECE grows by/)]);
  });
});

describe('ensemble selector', () => {
  it('averages the probabilities row by row', () => {
    expect(Array.from(averageProbabilities(Float32Array.from([1, 0, 0.5, 0.5]), Float32Array.from([0, 1, 0.25, 0.75])))).toEqual([0.5, 0.5, 0.375, 0.625]);
  });

  it('selects the average when it beats both members, and keeps the champion when it does not', () => {
    // Each member is wrong on different samples with low confidence; the other's confident answer wins the average.
    const champion = model((i) => i < 6, (i) => (i < 6 ? 0.4 : 0.9));
    const challenger = model((i) => i >= 24, (i) => (i >= 24 ? 0.4 : 0.9));
    const strongChampion = model(() => false, 0.9);
    expect(selectByEnsemble({ kind: 'ensemble', metric: 'accuracy' }, heldOut, champion, challenger)).toMatchObject({ selected: 'ensemble', evidence: { champion: 0.8, challenger: 0.8, ensemble: 1 } });
    const keeps = selectByEnsemble({ kind: 'ensemble', metric: 'accuracy' }, heldOut, strongChampion, challenger);
    expect(keeps.selected).toBe('champion');
    expect(keeps.reason).toMatch(/does not beat both/);
  });
});

it('selectModel dispatches on the selector kind', () => {
  const champion = model((i) => i < 12);
  const challenger = model((i) => i < 2);
  expect(selectModel({ kind: 'metric', metric: 'accuracy', margin: 0.01, alpha: 0.05 }, heldOut, champion, challenger).selector).toBe('metric');
  expect(selectModel({ kind: 'rule', maxSensitivityDrop: 0, maxEceIncrease: 1 }, heldOut, champion, challenger)).toMatchObject({ selector: 'rule', selected: 'challenger' });
  expect(selectModel({ kind: 'ensemble', metric: 'accuracy' }, heldOut, champion, challenger).selector).toBe('ensemble');
});

it('numericLeaves flattens the finite numbers of the evidence, classes by label', () => {
  expect(numericLeaves({ mcnemar: { b: 1, c: 5, method: 'exact-binomial' }, sensitivity: [{ label: 'nodule', drop: 0.2 }], values: [3, Number.NaN], note: 'x' })).toEqual({
    'mcnemar.b': 1,
    'mcnemar.c': 5,
    'sensitivity.nodule.drop': 0.2,
    'values.0': 3,
  });
});
