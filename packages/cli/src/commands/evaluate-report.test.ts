import { Rng, type DecisionParams } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import type { EvaluatedCases } from './evaluate-cases.js';
import { renderEvaluationReport } from './evaluate-report-html.js';
import { buildEvaluationResult, evaluationJson, focusClassesOf } from './evaluate-result.js';
import { formatEvaluationText } from './evaluate-text.js';

const CLASSES = ['normal', 'nodule', 'effusion'];
const HOSTILE = '<script>alert("x")</script> & Co';

/** 90 cases of three classes, a model right about 80% of the time, two makers (one with a hostile name), every tenth referred. */
function threeClassCases(): EvaluatedCases {
  const rng = new Rng(17);
  const n = 90;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const probabilities = new Float64Array(n * 3);
  const predictions = new Int32Array(n);
  labels.forEach((label, i) => {
    const called = rng.next() < 0.8 ? label : (label + 1) % 3;
    const p = 0.5 + 0.4 * rng.next();
    for (let c = 0; c < 3; c++) probabilities[i * 3 + c] = c === called ? p : (1 - p) / 2;
    predictions[i] = called;
  });
  return {
    labels,
    probabilities,
    predictions,
    referred: Uint8Array.from(labels, (_, i) => (i % 10 === 0 ? 1 : 0)),
    values: [Array.from(labels, (_, i) => (i % 2 === 0 ? 'Vendor A' : HOSTILE))],
  };
}

const referralOnly: DecisionParams = {
  positiveClass: null,
  operatingPoints: [],
  valSamples: 0,
  referral: { minProbability: 0.5, maxEntropy: null, knnDisagreement: false, knnK: 3, noOperatingPoint: false },
};

function build(decision: DecisionParams | null) {
  return buildEvaluationResult(threeClassCases(), {
    classes: CLASSES,
    decision,
    model: { name: 'chest-3', version: 4, configHash: 'abc123', bundle: 'chest-3@production' },
    dataset: { config: 'chest.yaml', split: 'test' },
    attributes: [{ name: 'Manufacturer', description: 'Manufacturer (0008,0070)' }],
    institutionSalt: null,
    resamples: 60,
    seed: 2,
  });
}

describe('evaluation result and report', () => {
  it('reports every class of a multi-class model without a positive class, and referral only with a decision stage', () => {
    const result = build(referralOnly);
    expect(result.focusClasses).toEqual(CLASSES);
    expect(result.decision).toEqual({ kind: 'argmax', positiveClass: null, operatingPoints: [], referral: true });
    expect(result.evaluation.referral!.rate.successes).toBe(9);
    expect(result.subgroups[0]!.groups.map((g) => g.samples)).toEqual([45, 45]);
    expect(build(null).evaluation.referral).toBeNull();
    expect(focusClassesOf(['normal', 'abnormal'], null)).toEqual(['abnormal']);
    expect(focusClassesOf(['normal', 'abnormal'], 'normal')).toEqual(['normal']);
  });

  it('escapes DICOM values in the HTML, draws one curve per class and a subgroup table per class', () => {
    const html = renderEvaluationReport(build(referralOnly));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    // ROC and PR: one polyline per class each.
    expect(html.match(/<polyline /g)).toHaveLength(6);
    expect(html.match(/<h3>/g)).toHaveLength(3);
    expect(html).toContain('<h2>Referral</h2>');
    expect(html).not.toContain('<h2>Summary —'); // no single class to headline
  });

  it('writes undefined values as null in JSON and shows the headline as text', () => {
    const result = build(null);
    const json = JSON.parse(evaluationJson(result)) as { evaluation: { curves: { auc: { estimate: number | null } }[] } };
    expect(json.evaluation.curves).toHaveLength(3);
    const noNodule = { ...threeClassCases() };
    noNodule.labels = noNodule.labels.map((label) => (label === 1 ? 0 : label));
    const sparse = buildEvaluationResult(noNodule, { classes: CLASSES, decision: null, model: result.model, dataset: { config: 'c', split: 'test' }, attributes: [], institutionSalt: null, resamples: 20 });
    const parsed = JSON.parse(evaluationJson(sparse)) as { evaluation: { operatingPoint: { perClass: { sensitivity: { estimate: number | null } }[] } } };
    expect(parsed.evaluation.operatingPoint.perClass[1]!.sensitivity.estimate).toBeNull();
    const text = formatEvaluationText(result, 'out.html');
    expect(text).toMatch(/^chest-3 v4 on 90 test cases of chest\.yaml \(30 normal, 30 nodule, 30 effusion\)/);
    expect(text).toContain('nodule against the rest:');
    expect(text.trimEnd().endsWith('report: out.html')).toBe(true);
  });
});
