import { describe, expect, it } from 'vitest';
import { fixMatchTargets } from './fixmatch-targets.js';

describe('fixMatchTargets', () => {
  // Two labelled rows; three unlabelled images whose weak views give [0.97, 0.03], [0.6, 0.4], [0.01, 0.99].
  const weak = Float32Array.of(0.97, 0.03, 0.6, 0.4, 0.01, 0.99);
  const { labels, rowWeights, masked } = fixMatchTargets(Int32Array.of(1, 0), weak, 2, { threshold: 0.95, weight: 3 });

  it('labelled rows learn their labels with weight 1/B', () => {
    expect([...labels.slice(0, 2)]).toEqual([1, 0]);
    expect([...rowWeights.slice(0, 2)]).toEqual([0.5, 0.5]);
  });
  it('weak views never carry a loss (the target is held fixed)', () => {
    expect([...labels.slice(2, 5)]).toEqual([-1, -1, -1]);
    expect([...rowWeights.slice(2, 5)]).toEqual([0, 0, 0]);
  });
  it('a strong view learns its weak view\'s class only above the threshold, weighted λ/μB', () => {
    expect([...labels.slice(5)]).toEqual([0, -1, 1]);
    expect([...rowWeights.slice(5)]).toEqual([1, 0, 1]);
    expect(masked).toBe(2);
  });
  it('a threshold above every confidence masks every unlabelled image', () => {
    const none = fixMatchTargets(Int32Array.of(1, 0), weak, 2, { threshold: 0.999, weight: 3 });
    expect([...none.labels.slice(2)]).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(none.masked).toBe(0);
  });
});
