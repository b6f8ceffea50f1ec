import { createOrtFastMatmul, findStage, stageFiles, STAGE_KINDS, type AutoDriftResult, type Bundle, type Device, type FastMatmul, type OnnxRuntime, type ReferenceStatistics } from '@cvf/core';
import { createOrtNodeWorkerRuntime } from '@cvf/core/node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { InferenceLog, InferenceRecord } from '../inference-log.js';
import { checkDriftWindow } from './drift-check.js';
import { DriftGauges, type DriftSubject } from './drift-gauges.js';
import { DriftWindow } from './drift-window.js';

/** The version of a model serving now, and its bundle (where its drift reference is). */
export interface ServedVersion {
  readonly version: string;
  readonly bundle: Bundle;
}

export interface DriftMonitorOptions {
  /** Predictions per check: every `window` predictions of a model, its last `window` are checked. */
  readonly window: number;
  readonly registry: Registry;
  /** Where the MMD runs; on a CPU device its matrix products run in ONNX Runtime (MLAS) on a worker thread of their own, one core, off the event loop. */
  readonly device: Device;
  readonly log: Logger;
  /** The version serving `model` now (undefined: not served). */
  readonly served: (model: string) => ServedVersion | undefined;
  /** Default 0.05 (family-wise, over the methods run). */
  readonly alpha?: number;
  /** MMD permutations. Default 1000. */
  readonly permutations?: number;
  /** Where a check that found drift goes (the drift trigger: a monitor event in the store); closed with the monitor. */
  readonly events?: DriftEventSink;
  /** What the records' `model` field names, and so the gauges' label: a served model (default) or a stream. */
  readonly subject?: DriftSubject;
  /** Sees the outcome of every check that ran (after the gauges show it), e.g. to print it. */
  readonly onCheck?: (name: string, result: AutoDriftResult, records: number) => void;
}

/** What takes the outcome of a check that found drift; `record` returns the event's id. */
export interface DriftEventSink {
  record(model: { name: string; version: string }, result: AutoDriftResult): Promise<number | null>;
  close(): void;
}

/**
 * Drift monitoring in the edge runtime: sees every prediction the server logs (it wraps the
 * inference log, or stands in for one), keeps each model's last `window` predictions in memory
 * and, every `window` predictions, runs the default check (mmd on the features + input on the
 * images' statistics) after the current event-loop turn — never inside a request — then shows the
 * outcome as the `cvf_drift_*` gauges. One check runs at a time; a model due again while its check
 * runs is checked once more after it.
 */
export class DriftMonitor {
  readonly #options: DriftMonitorOptions;
  readonly #gauges: DriftGauges;
  readonly #windows = new Map<string, DriftWindow>();
  readonly #references = new Map<string, ReferenceStatistics | null>();
  readonly #due = new Set<string>();
  #running: Promise<void> | undefined;
  #checks = 0;
  #fastMatmul: FastMatmul | undefined;
  #runtime: (OnnxRuntime & { close(): Promise<void> }) | undefined;

  constructor(options: DriftMonitorOptions) {
    this.#options = options;
    this.#gauges = new DriftGauges(options.registry, options.subject);
  }

  /** Predictions per check. */
  get window(): number {
    return this.#options.window;
  }

  /** Checks finished (or failed) so far. */
  get checks(): number {
    return this.#checks;
  }

  /** An inference log that feeds this monitor and then `inner` (when the server has a log on disk). */
  tap(inner: InferenceLog | undefined): InferenceLog {
    return {
      append: (record: InferenceRecord) => {
        inner?.append(record); // a malformed record is refused here, before the window sees it
        this.#observe(record);
      },
      flush: () => inner?.flush() ?? Promise.resolve(),
      close: () => inner?.close() ?? Promise.resolve(),
      get stats() {
        return inner?.stats ?? { written: 0, dropped: 0 };
      },
    };
  }

  /** Resolves once no check is running or due. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Waits for the check in progress, then frees what checks used. */
  async close(): Promise<void> {
    this.#due.clear();
    await this.idle();
    await this.#fastMatmul?.release();
    await this.#runtime?.close();
    this.#fastMatmul = undefined;
    this.#runtime = undefined;
    this.#options.events?.close();
  }

  #observe(record: InferenceRecord): void {
    let window = this.#windows.get(record.model);
    if (!window) this.#windows.set(record.model, (window = new DriftWindow(this.#options.window)));
    const due = window.add(record.version, { features: record.features, ...(record.input && { input: record.input }) });
    if (!due) return;
    this.#due.add(record.model);
    if (!this.#running) this.#running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      while (this.#due.size > 0) {
        const model = this.#due.values().next().value as string;
        this.#due.delete(model);
        await this.#check(model);
      }
    } finally {
      this.#running = undefined;
    }
  }

  async #check(model: string): Promise<void> {
    const window = this.#windows.get(model)!;
    const records = window.snapshot();
    const served = this.#options.served(model);
    // A version swapped in since: its own window fills from its own predictions.
    if (!served || served.version !== window.version) return;
    try {
      const reference = this.#reference(model, served);
      if (!reference) return;
      const { permutations = 1000, alpha = 0.05 } = this.#options;
      const fastMatmul = await this.#products();
      const result = await checkDriftWindow(records, reference, {
        device: this.#options.device,
        ...(fastMatmul && { fastMatmul }),
        alpha,
        permutations,
        seed: this.#checks,
      });
      this.#gauges.show(model, result.results, ['mmd', 'input']);
      this.#options.onCheck?.(model, result, records.length);
      const figures = result.results.map(({ method, statistic, pValue, drifted }) => ({ method, statistic, pValue, drifted }));
      const event = result.drifted && this.#options.events ? await this.#options.events.record({ name: model, version: served.version }, result) : null;
      this.#options.log.info({ model, version: served.version, n: records.length, drifted: result.drifted, results: figures, skipped: result.skipped ?? [], ...(event !== null && { event }) }, 'drift check');
    } catch (error) {
      this.#options.log.warn({ err: error, model, version: served.version }, 'drift check failed');
    } finally {
      this.#checks++;
    }
  }

  async #products(): Promise<FastMatmul | undefined> {
    if (this.#options.device.backend !== 'cpu' || this.#fastMatmul) return this.#fastMatmul;
    this.#runtime = await createOrtNodeWorkerRuntime();
    this.#fastMatmul = createOrtFastMatmul(this.#runtime, { threads: 1 });
    return this.#fastMatmul;
  }

  /** The served version's drift reference, loaded once per version; null (and one warning) for a bundle without one. */
  #reference(model: string, served: ServedVersion): ReferenceStatistics | null {
    const key = `${model}@${served.version}`;
    const known = this.#references.get(key);
    if (known !== undefined) return known;
    const stage = findStage(served.bundle.manifest, 'reference');
    const reference = stage ? STAGE_KINDS.reference.load(stage, stageFiles(served.bundle, stage)) : null;
    if (!reference) this.#options.log.warn({ model, version: served.version }, 'the bundle has no drift reference; its predictions are not checked for drift');
    this.#references.set(key, reference);
    return reference;
  }
}
