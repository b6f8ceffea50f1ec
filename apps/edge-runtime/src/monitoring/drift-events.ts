import { monitorSchema, recordDriftTrigger, type AutoDriftResult, type MonitorConfig } from '@cvf/core';
import { openTrackingStore, type TrackingStore } from '@cvf/core/node';

/**
 * The drift trigger of the edge runtime: a check that found drift becomes a `drift` monitor event
 * in the tracking store (what fired, the figures of every method, the model version, and the
 * action `monitor.retrain` asks for). The store is opened on the first drift, so a server whose
 * models never drift never opens it.
 */
export class DriftEvents {
  readonly #storeRoot: string;
  readonly #monitor: MonitorConfig;
  #store: Promise<TrackingStore> | undefined;

  constructor(storeRoot: string, monitor: MonitorConfig | undefined) {
    this.#storeRoot = storeRoot;
    this.#monitor = monitor ?? monitorSchema.parse({});
  }

  /** Records the check's event when it drifted; the event's id, or null when nothing drifted. */
  async record(model: { name: string; version: string }, result: AutoDriftResult): Promise<number | null> {
    if (!result.drifted) return null;
    // A store that failed to open is tried again at the next drift.
    this.#store ??= openTrackingStore(this.#storeRoot).catch((error: unknown) => {
      this.#store = undefined;
      throw error;
    });
    const event = await recordDriftTrigger(await this.#store, model, result, this.#monitor);
    return event?.id ?? null;
  }

  close(): void {
    void this.#store?.then((store) => store.close()).catch(() => undefined);
    this.#store = undefined;
  }
}
