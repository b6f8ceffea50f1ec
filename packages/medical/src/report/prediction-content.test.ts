import type { Prediction } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { asciiPunctuation, reportContentOf } from './prediction-content.js';

const decision = (fields: object) => ({ reasons: [], model: { name: 'chest', version: 3, configHash: 'c0ffee' }, ...fields }) as unknown as Prediction['decision'];

describe('reportContentOf', () => {
  it('reports the decided class with its probability, the operating threshold and the summary in ASCII', () => {
    const content = reportContentOf({
      probabilities: [0.69, 0.31],
      decision: decision({
        outcome: 'positive',
        classIndex: 1,
        label: 'pneumonia',
        summary: 'Positive (pneumonia) at the 95%-sensitivity point (p 0.31 ≥ 0.12)',
        reasons: [{ code: 'operating-point', label: 'pneumonia', probability: 0.31, threshold: 0.12, reached: true, target: 'sensitivity', value: 0.95 }],
      }),
    });
    expect(content).toEqual({
      finding: { label: 'pneumonia', probability: 0.31 },
      decision: { outcome: 'positive', threshold: 0.12, reasons: ['Positive (pneumonia) at the 95%-sensitivity point (p 0.31 >= 0.12)'] },
      algorithm: { name: 'chest', version: '3', configHash: 'c0ffee' },
    });
  });

  it('a referral keeps the class it would have decided; an unregistered bundle is named so', () => {
    const content = reportContentOf({
      probabilities: [0.525, 0.475],
      decision: { ...decision({ outcome: 'refer', classIndex: 0, label: 'normal', summary: 'Refer — uncertain (entropy 1.00)' }), model: { name: 'm', version: null, configHash: 'h' } },
    });
    expect(content.finding).toEqual({ label: 'normal', probability: 0.525 });
    expect(content.decision).toEqual({ outcome: 'refer', reasons: ['Refer - uncertain (entropy 1.00)'] });
    expect(content.algorithm.version).toBe('unregistered');
  });

  it('asciiPunctuation leaves other text as it is', () => {
    expect(asciiPunctuation('p ≤ 0.2 – “quoted” épanchement…')).toBe('p <= 0.2 - “quoted” épanchement...');
  });
});
