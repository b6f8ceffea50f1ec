import { disposeDecodedInput, type Bundle, type Device, type Predictor } from '@cvf/core';
import { ProgressReporter } from '../progress.js';
import type { StreamMonitor, StreamMonitors } from './monitor.js';
import { openFrameSource, type SourceFrame } from './video-source.js';
import type { StreamInput } from './video-inputs.js';
import { labelSegments, type FrameLabel, type LabelSegment } from './video-segments.js';

export interface StreamPredictOptions {
  readonly device: Device;
  /** Every Nth frame is predicted. */
  readonly every: number;
  /** Frames predicted together. */
  readonly batch: number;
  /** Counts, times and drift-checks the frames; each stream is monitored under its file name (the drift checks' outcomes arrive in `checks`). */
  readonly monitors: StreamMonitors;
  /** Per-frame lines on stdout as frames are predicted, and a progress bar on a terminal (off for --json). */
  readonly print: boolean;
  /** Sees the index of each frame once it is predicted. */
  readonly onFrame?: (index: number) => void;
}

/**
 * A drift check of the stream's last window of frames, as the monitors ran it: after the current
 * batch, off the prediction path. One check runs at a time, so a stream faster than its checks has
 * windows that are not checked (the next check takes the last window then).
 */
export interface StreamDriftCheck {
  /** Index of the last frame predicted when the outcome arrived: the window ended there or a few batches before. */
  readonly atFrame: number;
  /** Predicted frames the window held. */
  readonly frames: number;
  readonly drifted: boolean;
  readonly results: readonly { method: string; statistic: number; pValue?: number; drifted: boolean }[];
  readonly skipped?: readonly { method: string; reason: string }[];
}

/** What `cvf predict` reports for a video or cine. */
export interface StreamResult {
  readonly file: string;
  readonly kind: 'video' | 'cine';
  readonly frameRate: number;
  readonly every: number;
  readonly frames: readonly FrameLabel[];
  readonly segments: readonly LabelSegment[];
  readonly driftChecks: readonly StreamDriftCheck[];
}

/**
 * Predicts a video or cine through `predictor`, `batch` frames at a time: the next batch is read
 * (ffmpeg decoding ahead) while the current one is predicted, so no more than two batches are in
 * memory and ffmpeg waits on the pipe otherwise. Every batch is reported to the stream's monitor
 * (frames/s, latency, drift window). Frames keep the stream's order; segments are where the label holds.
 */
export async function predictStream(predictor: Predictor, bundle: Bundle, input: StreamInput, options: StreamPredictOptions, checks: readonly StreamDriftCheck[]): Promise<StreamResult> {
  const source = await openFrameSource(input, bundle, options);
  const monitor = options.monitors.stream(input.file, bundle);
  const progress = options.print && process.stderr.isTTY ? new ProgressReporter({ json: false }) : undefined;
  const frames: FrameLabel[] = [];
  const iterator = source.frames[Symbol.asyncIterator]();
  const readBatch = async (): Promise<{ frame: SourceFrame; readAt: number }[]> => {
    const out: { frame: SourceFrame; readAt: number }[] = [];
    while (out.length < options.batch) {
      const next = await iterator.next();
      if (next.done) break;
      out.push({ frame: next.value, readAt: performance.now() });
    }
    return out;
  };
  let reading = readBatch();
  try {
    for (;;) {
      const batch = await reading;
      if (batch.length === 0) break;
      reading = readBatch();
      // Awaited on the next turn of the loop; until then a failed read must not count as unhandled.
      reading.catch(() => undefined);
      // A frame line would land on the progress bar's line: the bar is cleared first and redrawn after the batch.
      if (progress && process.stdout.isTTY) process.stderr.write('\r\x1b[2K');
      frames.push(...(await predictBatch(predictor, batch, monitor, options)));
      progress?.update({ stage: input.file, done: frames.length, total: Math.max(source.expectedFrames ?? frames.length, frames.length) });
    }
  } finally {
    // Early exit (an error): ffmpeg is killed, a cine stops decoding.
    await reading.then((batch) => batch.forEach(({ frame }) => disposeDecodedInput(frame.image)), () => undefined);
    await iterator.return?.();
  }
  await options.monitors.idle();
  const step = options.every / (source.frameRate || 1);
  return { file: input.file, kind: input.kind, frameRate: source.frameRate, every: options.every, frames, segments: labelSegments(frames, step), driftChecks: [...checks] };
}

async function predictBatch(predictor: Predictor, batch: readonly { frame: SourceFrame; readAt: number }[], monitor: StreamMonitor, options: StreamPredictOptions): Promise<FrameLabel[]> {
  const images = batch.map(({ frame }) => frame.image);
  try {
    // No similar cases: a clip's frames are not cases to look up one by one.
    const predictions = await predictor.predict(images, { similar: 0, ...options.monitors.predictOptions });
    monitor.observe(predictions, batch.map((b) => b.readAt));
    return predictions.map((prediction, i) => {
      const { index, time } = batch[i]!.frame;
      const frame = { index, time, label: prediction.label, probability: prediction.probabilities[prediction.classIndex]! };
      options.onFrame?.(index);
      if (options.print) process.stdout.write(`${monitor.name} frame ${index} ${time.toFixed(2)}s: ${frame.label} ${(frame.probability * 100).toFixed(1)}%\n`);
      return frame;
    });
  } finally {
    images.forEach(disposeDecodedInput);
  }
}

/** The lines `cvf predict` prints after a stream's frames: its segments and its drift checks. */
export function formatStreamSummary(result: StreamResult): string {
  const segments = result.segments.map((s) => `${result.file} segment ${s.start.toFixed(2)}–${s.end.toFixed(2)}s: ${s.label} (${s.frames} frame${s.frames === 1 ? '' : 's'}, mean ${(s.meanProbability * 100).toFixed(1)}%)\n`);
  const drift = result.driftChecks.map(
    (c) => `${result.file} drift check of ${c.frames} frames up to frame ${c.atFrame}: ${c.drifted ? 'DRIFT' : 'no drift'} (${c.results.map((r) => `${r.method} p=${r.pValue === undefined ? 'n/a' : r.pValue.toPrecision(3)}`).join(', ')})\n`,
  );
  return [...segments, ...drift].join('');
}
