import { CvfError, type AutoDriftResult, type Bundle, type Device, type Predictor } from '@cvf/core';
import { StreamMonitors } from './monitor.js';
import { serveStreamMetrics } from './monitor-server.js';
import type { StreamInput } from './video-inputs.js';
import { formatStreamSummary, predictStream, type StreamDriftCheck, type StreamResult } from './video-predict.js';

export interface PredictStreamsOptions {
  readonly device: Device;
  readonly every: number;
  readonly batch: number;
  /** Frames per drift check of each stream (0: none). */
  readonly driftWindow: number;
  /** Serve the streams' metrics on 127.0.0.1 at this port while they run (0: a free port). */
  readonly metricsPort?: number;
  /** Text output (per-frame lines, segments, drift checks, progress on a terminal); false for --json. */
  readonly print: boolean;
}

/** A stream's result, or why it has none (the other streams go on). */
export type StreamOutcome = StreamResult | { readonly file: string; readonly error: { readonly code: string; readonly message: string } };

function driftCheck(result: AutoDriftResult, frames: number, atFrame: number): StreamDriftCheck {
  return {
    atFrame,
    frames,
    drifted: result.drifted,
    results: result.results.map(({ method, statistic, pValue, drifted }) => ({ method, statistic, ...(pValue !== undefined && { pValue }), drifted })),
    ...(result.skipped && { skipped: result.skipped }),
  };
}

/**
 * `cvf predict` on videos and cines: each stream in turn through the same Predictor, monitored
 * under its file name — `cvf_stream_*` metrics and, every `driftWindow` frames, a drift check of
 * the last window (on the `cvf_drift_*` gauges and in the result) — with the metrics served at
 * `metricsPort` while the streams run. A stream that fails is its error; the rest go on.
 */
export async function predictStreams(predictor: Predictor, bundle: Bundle, inputs: readonly StreamInput[], options: PredictStreamsOptions): Promise<StreamOutcome[]> {
  const checks = new Map<string, { list: StreamDriftCheck[]; lastFrame: () => number }>();
  const monitors = new StreamMonitors({
    device: options.device,
    window: options.driftWindow,
    onCheck: (stream, result, frames) => {
      const entry = checks.get(stream)!;
      entry.list.push(driftCheck(result, frames, entry.lastFrame()));
    },
  });
  const server = options.metricsPort === undefined ? undefined : await serveStreamMetrics(monitors, options.metricsPort).catch(async (error: unknown) => {
    await monitors.close();
    throw error;
  });
  if (server) process.stderr.write(`metrics of the streams at ${server.url}\n`);
  const outcomes: StreamOutcome[] = [];
  try {
    for (const input of inputs) {
      const streamChecks: StreamDriftCheck[] = [];
      const progress = { lastFrame: -1 };
      checks.set(input.file, { list: streamChecks, lastFrame: () => progress.lastFrame });
      try {
        const result = await predictStream(predictor, bundle, input, { ...options, monitors, onFrame: (index) => (progress.lastFrame = index) }, streamChecks);
        if (options.print) process.stdout.write(formatStreamSummary(result));
        outcomes.push(result);
      } catch (error) {
        // A CvfError is this stream's result; anything else is a defect and is not swallowed.
        if (!(error instanceof CvfError)) throw error;
        if (options.print) process.stderr.write(`error [${error.code}]: ${error.message}\n`);
        outcomes.push({ file: input.file, error: { code: error.code, message: error.message } });
      }
    }
    return outcomes;
  } finally {
    await server?.close();
    await monitors.close();
  }
}
