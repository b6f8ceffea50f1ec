import { monitorSchema } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createInferenceLog, readInferenceLog, type InferenceLog } from './inference-log.js';
import { createLogger } from './logger.js';
import { patternPng } from './testing/test-images.js';
import { TEST_CLASSES, trainTestModel } from './testing/train-test-model.js';

let dir: string;
let store: string;
let server: EdgeServer;
let inferenceLog: InferenceLog;

// Trigger after 8 labels when even the upper end of the accuracy's Wilson interval is under 0.9.
const monitor = monitorSchema.parse({ performance: { enabled: true, metric: 'accuracy', threshold: 0.9, minLabels: 8, window: 50 }, retrain: { enabled: true, onDrift: false } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-feedback-'));
  store = (await trainTestModel(dir, { name: 'patterns', alias: 'production' })).store;
  // Given a salt, the log does not create its folder (it does when it makes its own salt file).
  inferenceLog = createInferenceLog({ dir: join(dir, 'inference-log'), salt: 'a-test-salt-of-enough-bytes' });
  server = await createEdgeServer({ models: ['patterns@production'], store, logger: createLogger({ level: 'silent' }), decodeWorkers: 0, inferenceLog, monitor });
});
afterAll(async () => {
  await server?.close();
  await inferenceLog?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function predict(label: number, seed: number): Promise<{ predictionId: string; label: string }> {
  const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body: await patternPng(label, seed), headers: { 'content-type': 'image/png' } });
  const body = (await response.json()) as { predictions: { predictionId: string; label: string }[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.predictions[0]!;
}

async function feedback(predictionId: unknown, label: unknown, model = 'patterns'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/v1/models/${model}/feedback`, { method: 'POST', body: JSON.stringify({ predictionId, label }), headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: await response.json() };
}

describe('feedback on the edge runtime', () => {
  it('answers every prediction with an id that the inference log records too', async () => {
    const first = await predict(0, 11);
    const second = await predict(0, 12);
    expect(first.predictionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.predictionId).not.toBe(first.predictionId);
    await inferenceLog.flush();
    const ids = (await readInferenceLog(join(dir, 'inference-log'))).map((r) => r.predictionId);
    expect(ids).toEqual(expect.arrayContaining([first.predictionId, second.predictionId]));
  });

  it('refuses an unknown prediction, a label that is no class, and another model’s name', async () => {
    const answered = await predict(1, 13);
    expect(await feedback('no-such-prediction', 'hbars')).toMatchObject({ status: 404, body: { error: { code: 'PREDICTION_NOT_FOUND' } } });
    const wrongClass = await feedback(answered.predictionId, 'circle');
    expect(wrongClass).toMatchObject({ status: 400, body: { error: { code: 'MONITOR_FEEDBACK_INVALID' } } });
    expect(wrongClass.body.error.message).toContain(TEST_CLASSES.join(', '));
    expect((await feedback({ not: 'an id' }, 'hbars')).status).toBe(400);
    expect((await feedback(answered.predictionId, 'hbars', 'other')).status).toBe(404);
  });

  it('a few wrong labels do not fire the performance trigger; enough do, once, as a monitor event and gauges', async () => {
    // The model is right on these patterns; the fed-back "truth" says otherwise for most of them.
    const answered = [];
    for (let i = 0; i < 12; i++) answered.push(await predict(i % 3, 100 + i));
    const wrong = (p: { label: string }) => TEST_CLASSES.find((c) => c !== p.label)!;
    for (let i = 0; i < 5; i++) {
      const { status, body } = await feedback(answered[i]!.predictionId, wrong(answered[i]!));
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ correct: false, eventId: null, performance: { trials: i + 1, degraded: false } });
    }
    const answers = [];
    for (let i = 5; i < 12; i++) answers.push((await feedback(answered[i]!.predictionId, i < 9 ? wrong(answered[i]!) : answered[i]!.label)).body);
    const fired = answers.filter((a) => a.eventId !== null);
    expect(fired).toHaveLength(1);
    expect(fired[0].performance).toMatchObject({ metric: 'accuracy', degraded: true });
    expect(answers.at(-1)).toMatchObject({ performance: { trials: 12, successes: 3, degraded: true }, eventId: null });

    // A correction replaces the earlier label.
    expect((await feedback(answered[0]!.predictionId, answered[0]!.label)).body).toMatchObject({ replaced: true, correct: true, performance: { trials: 12, successes: 4 } });

    const reader = SqliteTrackingStore.open(store);
    try {
      const events = await reader.listMonitorEvents({ model: 'patterns' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'performance', trigger: 'performance', version: '1', action: 'retrain', outcome: null });
    } finally {
      reader.close();
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/cvf_performance_labels\{model="patterns"\} 12/);
    expect(metrics).toMatch(/cvf_performance_accuracy\{model="patterns"\} 0\.333/);
    expect(metrics).toMatch(/cvf_performance_degraded\{model="patterns"\} 1/);
    expect(metrics).toMatch(/cvf_performance_interval\{model="patterns",metric="accuracy",bound="high"\} 0\.6/);
    expect(metrics).toMatch(/cvf_performance_sensitivity\{model="patterns",class="[a-z]+"\}/);
  });
});
