import { describe, expect, it } from 'vitest';
import type { PerformanceConfig } from '../../config/sections/monitor.js';
import type { FeedbackLabel } from './feedback-label.js';
import { measurePerformance, sensitivityByClass } from './performance.js';

const ACCURACY: PerformanceConfig = { enabled: true, metric: 'accuracy', threshold: 0.8, minLabels: 30, window: 500 };

/** `right` correct and `wrong` wrong labels of class `cls`, newest first. */
function labels(right: number, wrong: number, cls = 'finding', other = 'normal'): FeedbackLabel[] {
  return Array.from({ length: right + wrong }, (_, i) => ({
    predictionId: `p${i}`,
    model: 'm',
    version: '1',
    label: cls,
    predicted: i < right ? cls : other,
    time: 1000 - i,
  }));
}

describe('measurePerformance', () => {
  // Reference intervals: scipy.stats.binomtest(k, n).proportion_ci(0.95, method='wilson').
  it('fires only when the whole 95% Wilson interval is below the threshold', () => {
    const bad = measurePerformance(labels(24, 16), ACCURACY);
    expect(bad.estimate).toBe(0.6);
    expect(bad.low).toBeCloseTo(0.44595893660346186, 12);
    expect(bad.high).toBeCloseTo(0.7365167431570808, 12);
    expect(bad.degraded).toBe(true);
    // 27/40 = 0.675: the interval ends at 0.7992, just below 0.8, so it fires.
    const borderline = measurePerformance(labels(27, 13), ACCURACY);
    expect(borderline.high).toBeCloseTo(0.7991549776821729, 12);
    expect(borderline.degraded).toBe(true);
    const unclear = measurePerformance(labels(30, 10), ACCURACY);
    expect(unclear.high).toBeCloseTo(0.858128813609037, 12);
    expect(unclear.degraded).toBe(false);
  });

  it('does not fire on a handful of labels', () => {
    const few = measurePerformance(labels(3, 2), { ...ACCURACY, minLabels: 1 });
    expect(few.high).toBeCloseTo(0.8823792257673521, 12);
    expect(few.degraded).toBe(false);
    expect(measurePerformance(labels(0, 20), ACCURACY).degraded).toBe(false); // 20 < minLabels
    expect(measurePerformance(labels(0, 20), { ...ACCURACY, minLabels: 20 }).degraded).toBe(true);
  });

  it('counts only the window of newest labels, and only the class for sensitivity', () => {
    const recentBad = [...labels(0, 40), ...labels(400, 0)];
    expect(measurePerformance(recentBad, { ...ACCURACY, window: 40 }).degraded).toBe(true);
    expect(measurePerformance(recentBad, { ...ACCURACY, window: 440 }).degraded).toBe(false);
    const mixed = [...labels(10, 30, 'finding'), ...labels(200, 0, 'normal', 'finding')];
    const sensitivity = measurePerformance(mixed, { ...ACCURACY, metric: 'sensitivity', class: 'finding' });
    expect(sensitivity).toMatchObject({ class: 'finding', successes: 10, trials: 40, degraded: true });
    const byClass = sensitivityByClass(mixed, 500);
    expect(byClass.get('finding')?.estimate).toBe(0.25);
    expect(byClass.get('normal')?.estimate).toBe(1);
  });
});
