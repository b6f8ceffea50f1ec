import type { MonitorConfig } from '../../config/sections/monitor.js';
import type { AutoDriftResult, DriftResult } from '../drift/types.js';
import type { MonitorEvent, MonitorEventStore } from './monitor-event.js';

/**
 * The drift trigger: what the edge runtime (every `monitor.window` predictions) and
 * `cvf monitor drift` call with a detector's answer. A drifted result becomes a `drift` event
 * with the figures of every method that ran; the action is `retrain` when `monitor.retrain`
 * asks for it on drift. Returns the event, or null when nothing drifted.
 */
export async function recordDriftTrigger(
  store: MonitorEventStore,
  model: { name: string; version: string | null },
  result: DriftResult | AutoDriftResult | readonly DriftResult[],
  monitor: Pick<MonitorConfig, 'retrain'>,
  trigger = 'drift',
): Promise<MonitorEvent | null> {
  const results = 'length' in result ? result : 'results' in result ? result.results : [result];
  const drifted = 'length' in result ? result.some((r) => r.drifted) : result.drifted;
  if (!drifted) return null;
  return store.recordMonitorEvent({
    kind: 'drift',
    trigger,
    model: model.name,
    version: model.version,
    action: monitor.retrain.enabled && monitor.retrain.onDrift ? 'retrain' : 'none',
    figures: {
      method: 'length' in result ? 'all' : result.method,
      drifted: results.filter((r) => r.drifted).map((r) => r.method),
      results: results.map(({ method, statistic, pValue, threshold, drifted: d, n }) => ({ method, statistic, ...(pValue !== undefined && { pValue }), threshold, drifted: d, n })),
    },
  });
}
