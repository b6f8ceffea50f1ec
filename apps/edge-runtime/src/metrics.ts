import type { OrtWorkerRuns } from '@cvf/core/node';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * prom-client's process metrics (`cvf_process_*`, `cvf_nodejs_*`) in `registry`. The event loop
 * delay is sampled every 100 ms instead of prom-client's 10: at 10 ms an idle server woke 105
 * times a second, and three idle servers beside a model run on every core stretched that run's
 * p99 from 15–18 ms to 30–39 ms (2-vCPU VM, bench/edge's ResNet-18 bundle).
 */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'cvf_', eventLoopMonitoringPrecision: 100 });
}

/**
 * The edge runtime's Prometheus metrics, all named `cvf_…`, on a registry of their own (so two
 * servers in one process do not share counters). Process metrics come from prom-client's
 * default collectors, with the same prefix.
 */
export class EdgeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'cvf_requests_total',
    help: 'HTTP requests answered, by model, model version, route and status',
    labelNames: ['model', 'version', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'cvf_request_duration_seconds',
    help: 'time from a request arriving to its answer, by model and route',
    labelNames: ['model', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDuration = new Histogram({
    name: 'cvf_queue_duration_seconds',
    help: 'time a request waited in its model queue before its batch ran',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly decodeDuration = new Histogram({
    name: 'cvf_decode_duration_seconds',
    help: 'time to decode one uploaded image or input tensor, by media type',
    labelNames: ['model', 'media'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly inferenceDuration = new Histogram({
    name: 'cvf_inference_duration_seconds',
    help: 'time one batch took to run through the model (preprocessing, extractor, PCA, head, index)',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'cvf_batch_size',
    help: 'images per batch the dynamic batcher ran',
    labelNames: ['model'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'cvf_queue_depth',
    help: 'requests waiting in a model queue',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'cvf_model_info',
    help: 'the model versions being served (value 1), with their config hash',
    labelNames: ['model', 'version', 'config_hash'] as const,
    registers: [this.registry],
  });
  readonly modelCreated = new Gauge({
    name: 'cvf_model_created_timestamp_seconds',
    help: 'when the bundle of each version being served was written (Unix seconds): the age of the model, for the stale-model alert',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: 'cvf_predictions_total',
    help: 'predictions made, by model, version and predicted class',
    labelNames: ['model', 'version', 'class'] as const,
    registers: [this.registry],
  });

  readonly stowed = new Counter({
    name: 'cvf_stow_total',
    help: 'Structured Reports of answered DICOM predictions stored in the PACS (--stow), by model',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly stowFailures = new Counter({
    name: 'cvf_stow_failures_total',
    help: 'Structured Reports of answered DICOM predictions that could not be stored in the PACS (--stow), by model and error code',
    labelNames: ['model', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectProcessMetrics(this.registry);
  }

  /** Exports where the models' ONNX Runtime runs went (EdgeServerOptions.inferenceThread), read from `runs` at each scrape. */
  countOnnxRuns(runs: () => OrtWorkerRuns): void {
    new Counter({
      name: 'cvf_onnx_runs_total',
      help: "ONNX Runtime runs of the served models, by thread: inference (the sessions' own thread) or event_loop (a lone request's, --inference-thread auto)",
      labelNames: ['thread'] as const,
      registers: [this.registry],
      collect() {
        const counted = runs();
        this.reset();
        this.inc({ thread: 'inference' }, counted.thread);
        this.inc({ thread: 'event_loop' }, counted.callingThread);
      },
    });
  }

  /** A model version began (or stopped) serving. */
  setModelServing(served: { readonly name: string; readonly version: string; readonly configHash: string; readonly createdAt: string }, serving: boolean): void {
    const { name: model, version, configHash } = served;
    if (serving) {
      this.modelInfo.set({ model, version, config_hash: configHash }, 1);
      this.modelCreated.set({ model, version }, Date.parse(served.createdAt) / 1000);
    } else {
      this.modelInfo.remove({ model, version, config_hash: configHash });
      this.modelCreated.remove({ model, version });
    }
  }
}
