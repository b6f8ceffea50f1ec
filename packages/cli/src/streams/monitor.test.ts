import { CpuDevice, imageTensor, Predictor, Rng, type Bundle } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder } from '@cvf/core/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPipeline, patternPixels, PATTERN_SIZE, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';
import { StreamMonitors } from './monitor.js';
import { serveStreamMetrics } from './monitor-server.js';

/** When each frame was read: a fixed time, since only how many latencies were observed is checked (no clock in tests). */
const READ_AT = 0;

/** A sample value of a metric line `name{labels} value` in a scrape, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('stream monitors', () => {
  let dir: string;
  let bundle: Bundle;
  const device = new CpuDevice();
  let predictor: Predictor;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-stream-monitor-'));
    await writePatternFolders(join(dir, 'images'), { perClass: 12, seed: 5 });
    writeFileSync(join(dir, 'pipeline.yaml'), patternPipeline({ name: 'monitor', root: join(dir, 'images'), store: join(dir, '.cvf'), model: 'patterns' }));
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stderr).toBe(0);
    bundle = await readBundleFolder((JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { bundle: string }).bundle);
    predictor = await Predictor.load(bundle, { device, onnxRuntime: await createOrtNodeRuntime() });
  });
  afterAll(async () => {
    await predictor?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `count` pattern frames; `invert` turns them into negatives (a shift the drift checks must see). */
  function frames(count: number, seed: number, invert: boolean) {
    const rng = new Rng(seed);
    return Array.from({ length: count }, (_, i) => {
      const pixels = patternPixels(i % 3, rng);
      return imageTensor('u8', { height: PATTERN_SIZE, width: PATTERN_SIZE, channels: 1 }, invert ? pixels.map((p) => 255 - p) : pixels);
    });
  }

  it('serves frames, latency and drift gauges labelled by stream on a real scrape; a window of negatives is drift, one like training is not', async () => {
    const checks: { stream: string; drifted: boolean; predictions: number }[] = [];
    const monitors = new StreamMonitors({ device, window: 24, permutations: 200, onCheck: (stream, result, predictions) => checks.push({ stream, drifted: result.drifted, predictions }) });
    const server = await serveStreamMetrics(monitors, 0);
    try {
      const stream = monitors.stream('ward-3', bundle);
      expect(() => monitors.stream('ward-3', bundle)).toThrow(/already monitored/);
      const scrape = async () => {
        const response = await fetch(server.url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/plain');
        return response.text();
      };
      const feed = async (images: ReturnType<typeof frames>) => {
        for (let start = 0; start < images.length; start += 8) {
          stream.observe(await predictor.predict(images.slice(start, start + 8), monitors.predictOptions), images.slice(start, start + 8).map(() => READ_AT));
        }
        await monitors.idle();
      };

      await feed(frames(24, 11, false));
      let text = await scrape();
      expect(sample(text, 'cvf_stream_frames_total', 'stream="ward-3"')).toBe(24);
      expect(sample(text, 'cvf_stream_frame_latency_seconds_count', 'stream="ward-3"')).toBe(24);
      expect(sample(text, 'cvf_stream_frames_per_second', 'stream="ward-3"')).toBeGreaterThan(0);
      expect(sample(text, 'cvf_drift_detected', 'stream="ward-3"')).toBe(0);
      expect(sample(text, 'cvf_drift_p_value', 'stream="ward-3",method="mmd"')).toBeGreaterThan(0.025);
      expect(text).toContain('cvf_drift_statistic{stream="ward-3",method="input"}');

      await feed(frames(24, 12, true));
      text = await scrape();
      expect(sample(text, 'cvf_stream_frames_total', 'stream="ward-3"')).toBe(48);
      expect(sample(text, 'cvf_drift_detected', 'stream="ward-3"')).toBe(1);
      expect(checks).toEqual([
        { stream: 'ward-3', drifted: false, predictions: 24 },
        { stream: 'ward-3', drifted: true, predictions: 24 },
      ]);

      stream.failed('INPUT_UNSUPPORTED_MEDIA');
      expect(sample(await scrape(), 'cvf_stream_failures_total', 'stream="ward-3",code="INPUT_UNSUPPORTED_MEDIA"')).toBe(1);
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
      await monitors.close();
    }
  });

  it('without a window: metrics only, predictions need no features, and no drift gauges appear', async () => {
    const monitors = new StreamMonitors({ device, window: 0 });
    try {
      expect(monitors.predictOptions).toEqual({});
      const stream = monitors.stream('cam', bundle);
      const images = frames(4, 3, false);
      stream.observe(await predictor.predict(images, monitors.predictOptions), images.map(() => READ_AT));
      const { body } = await monitors.text();
      expect(sample(body, 'cvf_stream_frames_total', 'stream="cam"')).toBe(4);
      expect(body).not.toContain('cvf_drift_detected');
    } finally {
      await monitors.close();
    }
  });

  it('a port in use is METRICS_PORT_UNAVAILABLE naming it', async () => {
    const monitors = new StreamMonitors({ device, window: 0 });
    const first = await serveStreamMetrics(monitors, 0);
    const port = Number(new URL(first.url).port);
    try {
      await expect(serveStreamMetrics(monitors, port)).rejects.toMatchObject({ code: 'METRICS_PORT_UNAVAILABLE', message: expect.stringContaining(String(port)) });
    } finally {
      await first.close();
    }
  });
});
