import type { Device, MonitorConfig } from '@cvf/core';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DriftEvents } from './drift-events.js';
import { DriftMonitor, type ServedVersion } from './drift-monitor.js';

/**
 * The edge server's drift monitor, or none: every `driftWindow` predictions (`--drift-window`),
 * else every `monitor.window` when the config's `monitor.drift` is enabled; α and permutations
 * from `monitor.drift`; a check that drifts is a monitor event in the server's store.
 */
export function edgeDriftMonitor(
  options: { readonly driftWindow: number; readonly monitor?: MonitorConfig | undefined; readonly store: string },
  parts: { readonly registry: Registry; readonly device: Device; readonly log: Logger; readonly served: (model: string) => ServedVersion | undefined },
): DriftMonitor | undefined {
  const { driftWindow, monitor } = options;
  const window = driftWindow > 0 ? driftWindow : monitor?.drift.enabled ? monitor.window : 0;
  if (window === 0) return undefined;
  return new DriftMonitor({
    window,
    ...parts,
    ...(monitor && { alpha: monitor.drift.alpha, permutations: monitor.drift.permutations }),
    events: new DriftEvents(options.store, monitor),
  });
}
