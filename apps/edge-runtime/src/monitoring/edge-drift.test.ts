// Drift gauges of the edge runtime: a real server (a model trained here) checks every window of
// predictions and exports cvf_drift_*; and the monitor fed records with image statistics runs
// the input detector against the bundle's input reference.
import { CpuDevice, encodePng, imageTensor, monitorSchema, Predictor, Rng } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder, SqliteTrackingStore } from '@cvf/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEdgeServer, type EdgeServer } from '../edge-server.js';
import { createLogger } from '../logger.js';
import { patternPng } from '../testing/test-images.js';
import { TEST_IMAGE_SIZE, testPattern, trainTestModel } from '../testing/train-test-model.js';
import { DriftMonitor } from './drift-monitor.js';
import { edgeDriftMonitor } from './edge-drift-monitor.js';

const WINDOW = 24;
let dir: string;
let bundle: string;
let store: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-drift-'));
  ({ bundle, store } = await trainTestModel(dir, { name: 'patterns', register: false }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One gauge's value for these labels in the Prometheus text, or undefined when the series is absent. */
function gauge(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('edge server drift gauges', () => {
  let server: EdgeServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await createEdgeServer({ models: [bundle], store, decodeWorkers: 0, driftWindow: WINDOW, logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }) });
  });
  afterAll(() => server?.close());

  /** A test pattern as a PNG, its values times `factor` (0.7: 30% darker). */
  async function png(label: number, seed: number, factor: number): Promise<Uint8Array<ArrayBuffer>> {
    if (factor === 1) return patternPng(label, seed);
    const pixels = Uint8Array.from(testPattern(label, new Rng(seed)), (v) => Math.round(v * factor));
    return new Uint8Array(await encodePng(imageTensor('u8', { height: TEST_IMAGE_SIZE, width: TEST_IMAGE_SIZE, channels: 1 }, pixels)));
  }

  async function predict(labels: readonly number[], seed: number, factor = 1): Promise<void> {
    const data = new FormData();
    for (const [i, label] of labels.entries()) data.append('file', new Blob([await png(label, seed + i, factor)], { type: 'image/png' }), `${i}.png`);
    const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body: data });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  const checks = () => lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'drift check');

  it('no gauge before a window is full; a window like the training data is not drift', async () => {
    await predict(Array.from({ length: WINDOW - 1 }, (_, i) => i % 3), 100);
    const before = await (await fetch(`${server.url}/metrics`)).text();
    expect(gauge(before, 'cvf_drift_detected', 'model="patterns"')).toBeUndefined();
    await predict([2], 200);
    await vi.waitFor(() => expect(checks()).toHaveLength(1), { timeout: 60_000, interval: 50 });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const p = gauge(text, 'cvf_drift_p_value', 'model="patterns",method="mmd"')!;
    expect(p).toBeGreaterThan(0.05 / 2);
    expect(gauge(text, 'cvf_drift_statistic', 'model="patterns",method="mmd"')).toEqual(expect.any(Number));
    expect(gauge(text, 'cvf_drift_p_value', 'model="patterns",method="input"')).toBeGreaterThan(0.05 / 2);
    expect(gauge(text, 'cvf_drift_detected', 'model="patterns"')).toBe(0);
    expect(checks()[0]).toMatchObject({ model: 'patterns', n: WINDOW, drifted: false, skipped: [] });
  });

  const driftEvents = async () => {
    const tracking = SqliteTrackingStore.open(store);
    try {
      return await tracking.listMonitorEvents({ kind: 'drift' });
    } finally {
      tracking.close();
    }
  };

  it('a window of one class only (a class-prior shift) is drift: the gauges say so, and it is a drift event in the store', async () => {
    expect(await driftEvents()).toEqual([]);
    await predict(Array.from({ length: WINDOW }, () => 2), 300);
    await vi.waitFor(() => expect(checks()).toHaveLength(2), { timeout: 60_000, interval: 50 });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(gauge(text, 'cvf_drift_p_value', 'model="patterns",method="mmd"')).toBeLessThan(0.01);
    expect(gauge(text, 'cvf_drift_detected', 'model="patterns"')).toBe(1);
    expect(checks()[1]).toMatchObject({ drifted: true, event: expect.any(Number) });
    expect(checks()[1].results).toContainEqual(expect.objectContaining({ method: 'mmd', drifted: true }));
    const events = await driftEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: checks()[1].event, kind: 'drift', model: 'patterns', figures: { method: 'auto', drifted: expect.arrayContaining(['mmd']) } });
  });

  it('a window of 30% darker uploads is input drift: the records carry the images’ statistics, the input gauges show it', async () => {
    await predict(Array.from({ length: WINDOW }, (_, i) => i % 3), 400, 0.7);
    await vi.waitFor(() => expect(checks()).toHaveLength(3), { timeout: 60_000, interval: 50 });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(gauge(text, 'cvf_drift_p_value', 'model="patterns",method="input"')).toBeLessThan(0.001);
    expect(gauge(text, 'cvf_drift_detected', 'model="patterns"')).toBe(1);
    expect(checks()[2].results).toContainEqual(expect.objectContaining({ method: 'input', drifted: true }));
  });
});

describe('drift monitor with image statistics', () => {
  const device = new CpuDevice();

  it('runs mmd and input each at alpha/2; a 30% darker window is input drift and the input gauges show it', async () => {
    const loaded = await readBundleFolder(bundle);
    const registry = new Registry();
    const lines: string[] = [];
    const monitor = new DriftMonitor({ window: WINDOW, registry, device, log: createLogger({ destination: { write: (line: string) => void lines.push(line) } }), served: () => ({ version: 'v1', bundle: loaded }) });
    const log = monitor.tap(undefined);
    const predictor = await Predictor.load(loaded, { device, onnxRuntime: await createOrtNodeRuntime() });
    const feed = async (factor: number, seed: number): Promise<void> => {
      for (let i = 0; i < WINDOW; i++) {
        const pixels = Uint8Array.from(testPattern(i % 3, new Rng(seed + i)), (v) => Math.round(v * factor));
        const image = imageTensor('u8', { height: TEST_IMAGE_SIZE, width: TEST_IMAGE_SIZE, channels: 1 }, pixels);
        const [p] = await predictor.predict([image], { features: true, inputStatistics: true });
        log.append({ time: new Date().toISOString(), model: 'patterns', version: 'v1', features: p!.features!, probabilities: p!.probabilities, predictedClass: p!.classIndex, input: p!.inputStatistics! });
      }
      await monitor.idle();
    };
    await feed(1, 1000);
    let text = await registry.metrics();
    expect(gauge(text, 'cvf_drift_p_value', 'model="patterns",method="input"')).toBeGreaterThan(0.025);
    expect(gauge(text, 'cvf_drift_detected', 'model="patterns"')).toBe(0);
    await feed(0.7, 2000);
    text = await registry.metrics();
    expect(gauge(text, 'cvf_drift_p_value', 'model="patterns",method="input"')).toBeLessThan(0.001);
    expect(gauge(text, 'cvf_drift_statistic', 'model="patterns",method="input"')).toBeGreaterThan(0);
    expect(gauge(text, 'cvf_drift_detected', 'model="patterns"')).toBe(1);
    const last = lines.map((line) => JSON.parse(line)).filter((e) => e.msg === 'drift check').at(-1);
    expect(last.results).toEqual([expect.objectContaining({ method: 'mmd' }), expect.objectContaining({ method: 'input', drifted: true })]);
    await predictor.release();
    await monitor.close();
  });

  it('a record of another version starts the window over; a bundle without an input reference checks mmd alone and says why', async () => {
    const loaded = await readBundleFolder(bundle);
    const stage = loaded.manifest.stages.find((s) => s.kind === 'reference')!;
    // The same bundle as one trained before the input detector: its reference stage without the input file.
    const { input: _input, ...params } = stage.params as Record<string, unknown>;
    const old = { ...loaded, manifest: { ...loaded.manifest, stages: loaded.manifest.stages.map((s) => (s === stage ? { ...s, params, files: { statistics: s.files.statistics! } } : s)) } } as typeof loaded;
    const registry = new Registry();
    const lines: string[] = [];
    let version = 'v1';
    const monitor = new DriftMonitor({ window: 4, registry, device, log: createLogger({ destination: { write: (line: string) => void lines.push(line) } }), served: () => ({ version, bundle: old }) });
    const log = monitor.tap(undefined);
    const dim = (stage.params as { dim: number }).dim;
    const record = (v: string, i: number) => ({ time: new Date().toISOString(), model: 'patterns', version: v, features: Array.from({ length: dim }, (_, j) => Math.sin(i + j)), probabilities: [1, 0, 0], predictedClass: 0, input: undefined });
    for (let i = 0; i < 3; i++) log.append(record('v1', i));
    version = 'v2';
    for (let i = 0; i < 3; i++) log.append(record('v2', i));
    await monitor.idle();
    expect(monitor.checks).toBe(0); // neither version has a full window of its own
    log.append(record('v2', 3));
    await monitor.idle();
    expect(monitor.checks).toBe(1);
    const check = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'drift check');
    expect(check.results.map((r: { method: string }) => r.method)).toEqual(['mmd']);
    expect(check.skipped).toEqual([{ method: 'input', reason: expect.stringMatching(/no input reference/) }]);
    await monitor.close();
  });
});

describe('edge drift monitor settings', () => {
  const parts = { registry: new Registry(), device: new CpuDevice(), log: createLogger({ destination: { write: () => {} } }), served: () => undefined };

  it('--drift-window wins; else monitor.window when monitor.drift is enabled; else no monitor', async () => {
    const enabled = monitorSchema.parse({ window: 300, drift: { enabled: true } });
    expect(edgeDriftMonitor({ driftWindow: 0, store: dir }, parts)).toBeUndefined();
    expect(edgeDriftMonitor({ driftWindow: 0, monitor: monitorSchema.parse({ window: 300 }), store: dir }, parts)).toBeUndefined();
    const fromConfig = edgeDriftMonitor({ driftWindow: 0, monitor: enabled, store: dir }, { ...parts, registry: new Registry() })!;
    expect(fromConfig.window).toBe(300);
    const fromFlag = edgeDriftMonitor({ driftWindow: 40, monitor: enabled, store: dir }, { ...parts, registry: new Registry() })!;
    expect(fromFlag.window).toBe(40);
    await fromConfig.close();
    await fromFlag.close();
  });
});
