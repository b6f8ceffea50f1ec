import { describe, expect, it } from 'vitest';
import { decide } from './prediction-decision.js';

const prediction = (p: number[], classes = ['normal', 'abnormal']) => {
  const classIndex = p.indexOf(Math.max(...p));
  return { classIndex, label: classes[classIndex]!, probabilities: p, top: [], similar: [] };
};

describe('decide', () => {
  it('refers when the predicted class is below its operating threshold', () => {
    expect(decide(prediction([0.3, 0.7]), { abnormal: 0.8 })).toEqual({ label: 'abnormal', probability: 0.7, threshold: 0.8, refer: true });
  });

  it('stands when at or above the threshold', () => {
    expect(decide(prediction([0.2, 0.8]), { abnormal: 0.8 })).toMatchObject({ refer: false, threshold: 0.8 });
  });

  it('has no threshold, and no referral, for a class or bundle without one', () => {
    expect(decide(prediction([0.6, 0.4]), { abnormal: 0.8 })).toMatchObject({ label: 'normal', threshold: null, refer: false });
    expect(decide(prediction([0.6, 0.4]), null)).toMatchObject({ threshold: null, refer: false });
  });
});
