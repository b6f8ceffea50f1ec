import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '../metrics.js';

/** Per-frame latency buckets, seconds: a frame waits for its whole batch, so they reach further than a request's. */
const FRAME_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Seconds of recent batches the frames-per-second gauge averages over. */
const RATE_SECONDS = 5;

/**
 * The `cvf_stream_*` metrics of streams predicted in one process (video files and DICOM cine in
 * `cvf predict`, message streams in `cvf consume`), labelled by stream, on a registry of their
 * own with the process metrics (prefix `cvf_`), as the edge runtime's EdgeMetrics. The drift
 * gauges go on the same registry (DriftMonitor with subject 'stream').
 */
export class StreamMetrics {
  readonly registry = new Registry();
  readonly frames = new Counter({
    name: 'cvf_stream_frames_total',
    help: 'frames (or messages) predicted, by stream',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });
  readonly failures = new Counter({
    name: 'cvf_stream_failures_total',
    help: 'frames (or messages) that could not be predicted, by stream and error code',
    labelNames: ['stream', 'code'] as const,
    registers: [this.registry],
  });
  readonly framesPerSecond = new Gauge({
    name: 'cvf_stream_frames_per_second',
    help: `frames (or messages) predicted per second over the last ${RATE_SECONDS} s, by stream`,
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });
  readonly frameLatency = new Histogram({
    name: 'cvf_stream_frame_latency_seconds',
    help: 'time from a frame (or message) being read to its prediction, by stream (a frame waits for its batch)',
    labelNames: ['stream'] as const,
    buckets: FRAME_LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Per stream: end time (ms) and frame count of its recent batches, oldest first. */
  readonly #recent = new Map<string, { at: number; frames: number }[]>();

  constructor() {
    collectProcessMetrics(this.registry);
  }

  /** A batch of `latencies.length` frames of `stream` was predicted at `now` (ms); each frame's latency in seconds. */
  predicted(stream: string, latencies: readonly number[], now: number): void {
    this.frames.inc({ stream }, latencies.length);
    for (const seconds of latencies) this.frameLatency.observe({ stream }, seconds);
    const recent = this.#recent.get(stream) ?? [];
    this.#recent.set(stream, recent);
    recent.push({ at: now, frames: latencies.length });
    while (recent.length > 1 && now - recent[0]!.at > RATE_SECONDS * 1000) recent.shift();
    // The frames after the oldest batch kept, over the time since it ended: a rate over whole batches.
    const span = (now - recent[0]!.at) / 1000;
    if (span > 0) this.framesPerSecond.set({ stream }, recent.slice(1).reduce((sum, b) => sum + b.frames, 0) / span);
  }

  /** A frame of `stream` failed with `code`. */
  failed(stream: string, code: string): void {
    this.failures.inc({ stream, code });
  }
}
