import { encodePng, imageTensor, Rng } from '@cvf/core';
import { ffmpegUnavailable, requireInCi, writeTestClip } from '@cvf/core/testing';
import { createSecondaryCapture, textElement, writeDicom } from '@cvf/medical';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import type { StreamResult } from './video-predict.js';

const skip = requireInCi('ffmpeg and ffprobe', ffmpegUnavailable());

/** RGB of the training colours, as ffmpeg's `color` source draws them (yuv420p round trip aside). */
const COLOURS = { red: [255, 0, 0], blue: [0, 0, 255], green: [0, 128, 0] } as const;
const SIZE = 16;

/** A noisy solid-colour picture. */
function colourPixels(rgb: readonly number[], rng: Rng): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(rgb[i % 3]! + rng.normal() * 12)));
  return out;
}

/** A free TCP port on 127.0.0.1 (closed again: the CLI binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(skip)('cvf predict on videos and DICOM cines', () => {
  let dir: string;
  let bundle: string;
  let colours: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-video-predict-'));
    const rng = new Rng(4);
    for (const [name, rgb] of Object.entries(COLOURS)) {
      mkdirSync(join(dir, 'images', name), { recursive: true });
      for (let i = 0; i < 10; i++) writeFileSync(join(dir, 'images', name, `${i}.png`), await encodePng(imageTensor('u8', { height: SIZE, width: SIZE, channels: 3 }, colourPixels(rgb, rng))));
    }
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: colours
data:
  source: { kind: folder, root: images }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess: { resize: { height: ${SIZE}, width: ${SIZE} }, color: rgb, normalize: { mean: [0.5], std: [0.5] } }
features: { kind: pixels }
pca: { enabled: true, components: 4 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 20, batchSize: 8, optimizer: { kind: adam, lr: 0.05 }, seed: 1 }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stderr).toBe(0);
    bundle = (JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { bundle: string }).bundle;
    colours = join(dir, 'red-then-blue.mp4');
    writeTestClip(colours, { kind: 'colors', colors: ['red', 'blue'], width: 32, height: 24, rate: 10, secondsEach: 1 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function predict(...args: string[]): Promise<StreamResult[]> {
    const result = await runCli('predict', bundle, ...args, '--json', '--device', 'cpu', '--no-audit');
    expect(result.exitCode, result.stdout.slice(-2000) + result.stderr).toBe(0);
    return JSON.parse(result.stdout) as StreamResult[];
  }

  it('predicts every frame of a clip whose colour changes mid-clip, with the two segments and their times', async () => {
    const [result] = await predict(colours);
    expect(result).toMatchObject({ file: colours, kind: 'video', frameRate: 10, every: 1 });
    expect(result!.frames.map((f) => f.index)).toEqual([...Array(20).keys()]);
    expect(result!.frames[13]!.time).toBeCloseTo(1.3, 9);
    expect(result!.frames.map((f) => f.label)).toEqual([...Array(10).fill('red'), ...Array(10).fill('blue')]);
    expect(result!.segments).toEqual([
      { label: 'red', start: 0, end: expect.closeTo(1, 9), firstFrame: 0, lastFrame: 9, frames: 10, meanProbability: expect.any(Number) },
      { label: 'blue', start: expect.closeTo(1, 9), end: expect.closeTo(2, 9), firstFrame: 10, lastFrame: 19, frames: 10, meanProbability: expect.any(Number) },
    ]);
    expect(result!.segments.every((s) => s.meanProbability > 0.5)).toBe(true);
    expect(result!.driftChecks).toEqual([]);
  });

  it('--every 4 predicts frames 0, 4, …, 16; the text output lists the frames and segments', async () => {
    const [result] = await predict(colours, '--every', '4', '--batch', '2');
    expect(result!.frames.map((f) => [f.index, f.label])).toEqual([[0, 'red'], [4, 'red'], [8, 'red'], [12, 'blue'], [16, 'blue']]);
    expect(result!.segments.map((s) => [s.label, s.start, s.end, s.frames])).toEqual([
      ['red', 0, expect.closeTo(1.2, 9), 3],
      ['blue', expect.closeTo(1.2, 9), expect.closeTo(2, 9), 2],
    ]);
    const text = await runCli('predict', bundle, colours, '--every', '4', '--device', 'cpu', '--no-audit');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${colours} frame 12 1.20s: blue`);
    expect(text.stdout).toMatch(new RegExp(`${colours} segment 0\\.00–1\\.20s: red \\(3 frames, mean \\d+\\.\\d%\\)`));
  });

  // .mkv (H.264 as .mp4) is read by the decoder's own tests.
  it('a testsrc clip in .webm (VP9) and .avi (MPEG-4) gives its 20 frames each', async () => {
    const clips = ['webm', 'avi'].map((ext) => join(dir, `testsrc.${ext}`));
    clips.forEach((clip) => writeTestClip(clip, { kind: 'testsrc', width: 64, height: 48, rate: 10, seconds: 2 }));
    const results = await predict(...clips);
    expect(results.map((r) => [r.file, r.frames.length])).toEqual(clips.map((clip) => [clip, 20]));
    expect(results.every((r) => r.segments.reduce((n, s) => n + s.frames, 0) === 20)).toBe(true);
  });

  it('a DICOM cine (multi-frame RGB with Frame Time) is predicted frame by frame with its frame times', async () => {
    const frame = (rgb: readonly number[]) => Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => rgb[i % 3]!);
    const pixels = new Uint8Array(6 * 8 * 8 * 3);
    [COLOURS.red, COLOURS.red, COLOURS.red, COLOURS.blue, COLOURS.blue, COLOURS.green].forEach((rgb, i) => pixels.set(frame(rgb), i * 8 * 8 * 3));
    const cine = join(dir, 'cine.dcm');
    const frameTime = textElement(0x00181063, 'DS', '40');
    writeFileSync(cine, writeDicom(createSecondaryCapture({ rows: 8, columns: 8, frames: 6, photometric: 'RGB', modality: 'US', pixels, extra: [frameTime] })));
    const [result] = await predict(cine);
    expect(result).toMatchObject({ file: cine, kind: 'cine', frameRate: expect.closeTo(25, 6) });
    expect(result!.frames.map((f) => [f.index, f.label])).toEqual([[0, 'red'], [1, 'red'], [2, 'red'], [3, 'blue'], [4, 'blue'], [5, 'green']]);
    expect(result!.frames.map((f) => f.time)).toEqual([0, 0.04, 0.08, 0.12, 0.16, 0.2].map((t) => expect.closeTo(t, 9)));
    expect(result!.segments.map((s) => [s.label, s.frames])).toEqual([['red', 3], ['blue', 2], ['green', 1]]);
    const [every2] = await predict(cine, '--every', '2');
    expect(every2!.frames.map((f) => f.index)).toEqual([0, 2, 4]);
  });

  it('a file that is not a video is VIDEO_UNREADABLE naming it (exit code 1); the clip beside it is still predicted', async () => {
    const bad = join(dir, 'broken.mp4');
    writeFileSync(bad, 'not a video\n');
    const result = await runCli('predict', bundle, bad, colours, '--json', '--device', 'cpu', '--no-audit');
    expect(result.exitCode).toBe(1);
    const [refused, predicted] = JSON.parse(result.stdout);
    expect(refused).toEqual({ file: bad, error: { code: 'VIDEO_UNREADABLE', message: expect.stringContaining(`${bad}: ffprobe cannot read it`) } });
    expect(predicted.frames).toHaveLength(20);
    const text = await runCli('predict', bundle, bad, '--device', 'cpu', '--no-audit');
    expect(text.exitCode).toBe(1);
    expect(text.stderr).toContain(`error [VIDEO_UNREADABLE]: ${bad}`);
  });

  it('--metrics-port serves cvf_stream_* and drift gauges of the stream to a real scrape while the clip runs', async () => {
    const long = join(dir, 'long.mp4');
    // Long enough that the run is still predicting when the first drift check is in: here that
    // check showed ~1.9 s after the metrics came up, and 800 frames were done before it once in CI.
    writeTestClip(long, { kind: 'colors', colors: ['red', 'blue', 'green', 'red'], width: 32, height: 24, rate: 10, secondsEach: 160 });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    let finished = false;
    const run = runCli('predict', bundle, long, '--json', '--device', 'cpu', '--no-audit', '--metrics-port', String(port), '--drift-window', '20', '--batch', '4').finally(() => (finished = true));
    // Scrapes while the run goes on, until one shows a drift check of the stream.
    let scraped: string | undefined;
    while (!finished) {
      const body = await fetch(url).then((r) => (r.ok ? r.text() : ''), () => '');
      if (body.includes(`cvf_drift_detected{stream="${long}"}`)) {
        scraped = body;
        break;
      }
    }
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(scraped, 'no scrape during the run carried the drift gauges').toBeDefined();
    expect(scraped).toMatch(new RegExp(`cvf_stream_frames_total\\{stream="${long}"\\} \\d+`));
    expect(scraped).toContain(`cvf_stream_frame_latency_seconds_bucket{le="0.001",stream="${long}"}`);
    expect(scraped).toMatch(new RegExp(`cvf_drift_p_value\\{stream="${long}",method="mmd"\\} [\\d.e-]+`));
    const [streamResult] = JSON.parse(result.stdout) as StreamResult[];
    expect(streamResult!.frames).toHaveLength(6400);
    // Checks run one at a time off the prediction path: at least one, each of a full window, in order.
    const checks = streamResult!.driftChecks;
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c, i) => c.frames === 20 && c.atFrame >= 19 && (i === 0 || c.atFrame >= checks[i - 1]!.atFrame))).toBe(true);
    expect(checks[0]!.results.map((r) => r.method)).toEqual(['mmd', 'input']);
    expect(streamResult!.segments.map((s) => s.label)).toEqual(['red', 'blue', 'green', 'red']);
    // The endpoint goes away with the run.
    await expect(fetch(url)).rejects.toThrow();
  });
});
