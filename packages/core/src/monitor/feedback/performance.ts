import type { PerformanceConfig } from '../../config/sections/monitor.js';
import { wilsonInterval } from '../../eval/wilson.js';
import type { FeedbackLabel } from './feedback-label.js';

/** The tracked metric over the recent fed-back labels, with its 95% Wilson interval and the trigger's verdict. */
export interface PerformanceFigures {
  readonly metric: PerformanceConfig['metric'];
  /** sensitivity only: the class it is computed for. */
  readonly class?: string;
  /** Correct predictions among the trials. */
  readonly successes: number;
  /** Labels the metric is over (every label for accuracy; the class's labels for sensitivity). */
  readonly trials: number;
  /** successes / trials; NaN with no trial. */
  readonly estimate: number;
  /** 95% Wilson interval of the estimate. */
  readonly low: number;
  readonly high: number;
  readonly threshold: number;
  readonly minLabels: number;
  /** Enough trials, and even the interval's upper end is below the threshold: the model is worse than allowed, beyond chance. */
  readonly degraded: boolean;
}

/**
 * The performance trigger's test on `labels` (newest first; only the first `config.window` count).
 * It fires on the Wilson interval, not on the estimate, so a handful of unlucky labels does not
 * fire it: with a threshold of 0.8, 3 right of 5 (estimate 0.6) has the interval 0.23..0.88, which
 * reaches above 0.8, so the model may well be fine; 24 right of 40 (0.6, interval 0.45..0.74) fires.
 * (Put the other way round: the Wilson lower bound of the error rate exceeds 1 − threshold.)
 */
export function measurePerformance(labels: readonly FeedbackLabel[], config: PerformanceConfig): PerformanceFigures {
  const window = labels.slice(0, config.window);
  const counted = config.metric === 'sensitivity' ? window.filter((l) => l.label === config.class) : window;
  const successes = counted.filter((l) => l.predicted === l.label).length;
  const interval = wilsonInterval(successes, counted.length);
  return {
    metric: config.metric,
    ...(config.class !== undefined && { class: config.class }),
    successes,
    trials: counted.length,
    estimate: interval.estimate,
    low: interval.low,
    high: interval.high,
    threshold: config.threshold,
    minLabels: config.minLabels,
    degraded: counted.length >= config.minLabels && interval.high < config.threshold,
  };
}

/** Per-class sensitivity (recall) of the recent labels with its Wilson interval, for every class that has a label. */
export function sensitivityByClass(labels: readonly FeedbackLabel[], window: number): Map<string, ReturnType<typeof wilsonInterval>> {
  const recent = labels.slice(0, window);
  const byClass = new Map<string, ReturnType<typeof wilsonInterval>>();
  for (const cls of new Set(recent.map((l) => l.label))) {
    const ofClass = recent.filter((l) => l.label === cls);
    byClass.set(cls, wilsonInterval(ofClass.filter((l) => l.predicted === cls).length, ofClass.length));
  }
  return byClass;
}
