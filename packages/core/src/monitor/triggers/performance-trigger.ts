import type { MonitorConfig } from '../../config/sections/monitor.js';
import type { FeedbackStore } from '../feedback/feedback-label.js';
import { measurePerformance, type PerformanceFigures } from '../feedback/performance.js';
import type { MonitorEvent, MonitorEventStore } from './monitor-event.js';

export interface PerformanceCheck {
  readonly figures: PerformanceFigures;
  /** The event recorded by this check, or null when it did not fire. */
  readonly event: MonitorEvent | null;
}

/**
 * Measures the recent fed-back labels of `model`'s version against `monitor.performance` (a
 * promoted version starts afresh: the old one's mistakes are not held against it) and records a
 * `performance` event when the model is degraded. It fires once per window of labels: not again
 * while a performance event of the model is newer than the oldest label of the window, so a
 * model that stays bad is reported again only after a whole new window of labels.
 */
export async function checkPerformanceTrigger(
  store: MonitorEventStore & FeedbackStore,
  model: { name: string; version: string },
  monitor: Pick<MonitorConfig, 'performance' | 'retrain'>,
): Promise<PerformanceCheck> {
  const labels = await store.recentFeedback(model.name, monitor.performance.window, model.version);
  const figures = measurePerformance(labels, monitor.performance);
  if (!monitor.performance.enabled || !figures.degraded) return { figures, event: null };
  const oldest = labels.at(-1)!.time;
  const [previous] = await store.listMonitorEvents({ model: model.name, kind: 'performance', limit: 1 });
  if (previous !== undefined && previous.time >= oldest) return { figures, event: null };
  const event = await store.recordMonitorEvent({
    kind: 'performance',
    trigger: 'performance',
    model: model.name,
    version: model.version,
    action: monitor.retrain.enabled && monitor.retrain.onPerformance ? 'retrain' : 'none',
    figures: { ...figures },
  });
  return { figures, event };
}
