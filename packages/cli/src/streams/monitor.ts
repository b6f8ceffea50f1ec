import { CvfError, type AutoDriftResult, type Bundle, type Device, type Prediction, type PredictOptions } from '@cvf/core';
import { createLogger, DriftMonitor, StreamMetrics, type InferenceLog, type Logger } from '@cvf/edge-runtime';

export interface StreamMonitorsOptions {
  /** Where the drift checks run (on a CPU Device their matrix products run in ONNX Runtime on a worker thread). */
  readonly device: Device;
  /** Predictions per drift check of each stream: every `window` predictions its last `window` are checked. 0: no checks, metrics only. */
  readonly window: number;
  /** Family-wise significance level of a check (default 0.05). */
  readonly alpha?: number;
  /** MMD permutations (default 1000). */
  readonly permutations?: number;
  /** Sees every check that ran: the stream, the outcome and how many predictions it covered. */
  readonly onCheck?: (stream: string, result: AutoDriftResult, predictions: number) => void;
  /** Where failed checks and bundles without a drift reference are reported (default: pino JSON lines on stderr, warnings only). */
  readonly log?: Logger;
}

/** One stream's side of the monitors: what its predictions and failures are reported to. */
export interface StreamMonitor {
  readonly name: string;
  /**
   * Predictions of one batch, in order, with the time (performance.now(), ms) each input was read:
   * counted, timed, and — when the monitors check drift — added to the stream's rolling window.
   * Predict with `monitors.predictOptions` so they carry what the checks need.
   */
  observe(predictions: readonly Prediction[], readAt: readonly number[]): void;
  /** An input of the stream that could not be predicted (its error code). */
  failed(code: string): void;
}

/**
 * The monitoring of the streams one process predicts (`cvf predict` on a video or cine, `cvf
 * consume` on message streams): the `cvf_stream_*` metrics (frames, frames/s, per-frame latency)
 * and, over a rolling window of each stream's predictions, the edge runtime's default drift check
 * (MMD on the features against the bundle's reference sample + the input test on the images'
 * statistics) shown as the `cvf_drift_*` gauges labelled by stream. One Prometheus registry for
 * all streams: serve it with `serveStreamMetrics`.
 */
export class StreamMonitors {
  readonly metrics = new StreamMetrics();
  readonly #drift: DriftMonitor | undefined;
  readonly #feed: InferenceLog | undefined;
  readonly #streams = new Map<string, { version: string; bundle: Bundle }>();

  constructor(options: StreamMonitorsOptions) {
    if (options.window <= 0) return;
    this.#drift = new DriftMonitor({
      window: options.window,
      registry: this.metrics.registry,
      device: options.device,
      log: options.log ?? createLogger({ level: 'warn', destination: process.stderr }),
      subject: 'stream',
      served: (name) => this.#streams.get(name),
      ...(options.alpha !== undefined && { alpha: options.alpha }),
      ...(options.permutations !== undefined && { permutations: options.permutations }),
      ...(options.onCheck && { onCheck: options.onCheck }),
    });
    this.#feed = this.#drift.tap(undefined);
  }

  /** What `Predictor.predict` must be asked for so predictions carry what the drift checks need (features, image statistics). */
  get predictOptions(): PredictOptions {
    return this.#drift ? { features: true, inputStatistics: true } : {};
  }

  /** A stream predicted with `bundle`; a name already in use is refused (its metrics would mix). */
  stream(name: string, bundle: Bundle): StreamMonitor {
    if (this.#streams.has(name)) throw new CvfError('STREAM_MONITOR_INVALID', `stream "${name}" is already monitored; give each stream its own name`);
    // The bundle's config hash stands for its version: a stream whose model changes starts its window over.
    const version = bundle.manifest.configHash;
    this.#streams.set(name, { version, bundle });
    return {
      name,
      observe: (predictions, readAt) => {
        const now = performance.now();
        this.metrics.predicted(name, readAt.map((t) => (now - t) / 1000), Date.now());
        if (!this.#feed) return;
        const time = new Date().toISOString();
        for (const p of predictions) {
          if (!p.features) throw new CvfError('STREAM_MONITOR_INVALID', `stream "${name}": a prediction without features reached the drift window; predict with monitors.predictOptions`);
          this.#feed.append({ time, model: name, version, features: p.features, probabilities: p.probabilities, predictedClass: p.classIndex, ...(p.inputStatistics && { input: p.inputStatistics }) });
        }
      },
      failed: (code) => this.metrics.failed(name, code),
    };
  }

  /** The registry in the Prometheus text format, as a scrape gets it. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
  }

  /** Resolves once no drift check is running or due (the last window's outcome is on the gauges). */
  async idle(): Promise<void> {
    await this.#drift?.idle();
  }

  /** Waits for a running check, then frees what the checks used. */
  async close(): Promise<void> {
    await this.#drift?.close();
  }
}

/** The monitors of a single stream (what `cvf predict` on one video needs): `{ monitors, stream }`. */
export function createStreamMonitor(options: StreamMonitorsOptions & { readonly name: string; readonly bundle: Bundle }): { monitors: StreamMonitors; stream: StreamMonitor } {
  const monitors = new StreamMonitors(options);
  return { monitors, stream: monitors.stream(options.name, options.bundle) };
}
