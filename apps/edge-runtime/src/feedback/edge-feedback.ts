import { assertFeedbackClass, assertPredictionId, checkPerformanceTrigger, measurePerformance, monitorSchema, sensitivityByClass, type MonitorConfig, type Prediction } from '@cvf/core';
import { openTrackingStore, type TrackingStore } from '@cvf/core/node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { HttpError } from '../http/http-error.js';
import { PerformanceGauges } from './performance-gauges.js';
import { RecentPredictions } from './recent-predictions.js';

export interface FeedbackAnswer {
  predictionId: string;
  model: string;
  version: string;
  predicted: string;
  label: string;
  correct: boolean;
  /** Whether this label replaced an earlier one for the same prediction. */
  replaced: boolean;
  /** The tracked metric over the window, after this label. */
  performance: ReturnType<typeof measurePerformance>;
  /** The performance event this label fired, if any. */
  eventId: number | null;
}

/**
 * Labels fed back for the server's predictions: remembers what each answered prediction said,
 * stores a returned label in the tracking store (`feedback` table), measures the model on the
 * recent labels (`cvf_performance_*` gauges) and runs the performance trigger, whose firing is a
 * monitor event. The store is opened on the first label, so a server nobody labels never opens it.
 */
export class EdgeFeedback {
  readonly #recent: RecentPredictions;
  readonly #gauges: PerformanceGauges;
  readonly #storeRoot: string;
  readonly #monitor: MonitorConfig;
  readonly #log: Logger;
  #store: Promise<TrackingStore> | undefined;

  constructor(options: { store: string; monitor?: MonitorConfig; registry: Registry; logger: Logger }) {
    this.#recent = new RecentPredictions();
    this.#gauges = new PerformanceGauges(options.registry);
    this.#storeRoot = options.store;
    this.#monitor = options.monitor ?? monitorSchema.parse({});
    this.#log = options.logger;
  }

  /** Notes what `model` answered for each prediction id. */
  remember(model: { name: string; version: string; classes: readonly string[] }, predictions: readonly Prediction[], ids: readonly string[]): void {
    predictions.forEach((p, i) => this.#recent.remember(ids[i]!, { model: model.name, version: model.version, predicted: p.label, classes: model.classes }));
  }

  /** Takes one fed-back label `{predictionId, label}` for a prediction `modelName` answered. */
  async record(modelName: string, body: unknown): Promise<FeedbackAnswer> {
    const { predictionId, label } = parseFeedback(body);
    const said = this.#recent.get(predictionId);
    if (said === undefined) {
      throw new HttpError(404, 'PREDICTION_NOT_FOUND', `no prediction "${predictionId}" among the last ${this.#recent.capacity} this server answered; for older ones use cvf monitor feedback with the inference log`);
    }
    if (said.model !== modelName) throw new HttpError(409, 'PREDICTION_OF_OTHER_MODEL', `prediction "${predictionId}" was answered by model "${said.model}", not "${modelName}"`);
    assertFeedbackClass(label, said.classes);
    const store = await this.#openStore();
    const { replaced } = await store.recordFeedback([{ predictionId, model: said.model, version: said.version, predicted: said.predicted, label, time: Date.now() }]);
    const check = await checkPerformanceTrigger(store, { name: said.model, version: said.version }, this.#monitor);
    const labels = await store.recentFeedback(said.model, this.#monitor.performance.window, said.version);
    const accuracy = labels.filter((l) => l.predicted === l.label).length / labels.length;
    this.#gauges.update(said.model, { labels: labels.length, accuracy, sensitivity: sensitivityByClass(labels, labels.length) }, check.figures);
    if (check.event) this.#log.warn({ model: said.model, version: said.version, event: check.event.id, figures: check.figures }, 'performance trigger fired');
    return { predictionId, model: said.model, version: said.version, predicted: said.predicted, label, correct: said.predicted === label, replaced: replaced > 0, performance: check.figures, eventId: check.event?.id ?? null };
  }

  close(): void {
    void this.#store?.then((store) => store.close()).catch(() => undefined);
    this.#store = undefined;
  }

  #openStore(): Promise<TrackingStore> {
    // A store that failed to open is tried again at the next label.
    this.#store ??= openTrackingStore(this.#storeRoot).catch((error: unknown) => {
      this.#store = undefined;
      throw error;
    });
    return this.#store;
  }
}

function parseFeedback(body: unknown): { predictionId: string; label: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'MONITOR_FEEDBACK_INVALID', 'the body must be a JSON object {"predictionId": "...", "label": "<class name>"}');
  }
  const { predictionId, label } = body as Record<string, unknown>;
  assertPredictionId(predictionId);
  if (typeof label !== 'string' || label === '') throw new HttpError(400, 'MONITOR_FEEDBACK_INVALID', `label ${JSON.stringify(label)} must be a class name`);
  return { predictionId, label };
}
