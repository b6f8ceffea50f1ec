import { monitorSchema, recordDriftTrigger, type AutoDriftResult, type MonitorConfig } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';

/**
 * The drift trigger of the edge runtime: a check that found drift becomes a `drift` monitor event
 * in the tracking store (what fired, the figures of every method, the model version, and the
 * action `monitor.retrain` asks for). The store is opened on the first drift, so a server whose
 * models never drift never opens it.
 */
export class DriftEvents {
  readonly #storeRoot: string;
  readonly #monitor: MonitorConfig;
  #store: SqliteTrackingStore | undefined;

  constructor(storeRoot: string, monitor: MonitorConfig | undefined) {
    this.#storeRoot = storeRoot;
    this.#monitor = monitor ?? monitorSchema.parse({});
  }

  /** Records the check's event when it drifted; the event's id, or null when nothing drifted. */
  async record(model: { name: string; version: string }, result: AutoDriftResult): Promise<number | null> {
    if (!result.drifted) return null;
    this.#store ??= SqliteTrackingStore.open(this.#storeRoot);
    const event = await recordDriftTrigger(this.#store, model, result, this.#monitor);
    return event?.id ?? null;
  }

  close(): void {
    this.#store?.close();
    this.#store = undefined;
  }
}
