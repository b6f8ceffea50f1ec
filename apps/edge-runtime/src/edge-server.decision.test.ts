import { CpuDevice, decodeInput, Predictor, type Decision } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder, sharpImageDecoder } from '@cvf/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { patternPng } from './testing/test-images.js';
import { TEST_CLASSES, trainTestModel } from './testing/train-test-model.js';

// The v1 file routes answer each file with its decision, the same record `cvf predict --json`
// prints and the Predictor computes in-process on the same bundle.

let dir: string;
let bundle: string;
let server: EdgeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-decision-'));
  const trained = await trainTestModel(dir, { name: 'patterns', alias: 'production' });
  bundle = trained.bundle;
  server = await createEdgeServer({ models: ['patterns@production'], store: trained.store, logger: createLogger({ level: 'silent' }), decodeWorkers: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('v1 predictions carry the decision', () => {
  it('with its outcome, reasons, uncertainty, evidence and the served model, as the Predictor decides in-process', async () => {
    const images = await Promise.all(TEST_CLASSES.map((_, label) => patternPng(label, 31)));
    const data = new FormData();
    images.forEach((bytes, i) => data.append('file', new Blob([bytes], { type: 'image/png' }), `${TEST_CLASSES[i]}.png`));
    const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body: data });
    const body = (await response.json()) as { predictions: { file: string; label: string; similar: { id: string }[]; decision: Decision }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);

    const device = new CpuDevice();
    const predictor = await Predictor.load(await readBundleFolder(bundle), { device, onnxRuntime: await createOrtNodeRuntime() });
    const local = await predictor.predict(await Promise.all(images.map((bytes) => decodeInput(bytes, 'image/png', { device, decoder: sharpImageDecoder }))));
    await predictor.release();

    body.predictions.forEach(({ label, similar, decision }, i) => {
      const want = local[i]!.decision;
      expect(decision).toMatchObject({ outcome: want.outcome, label: want.label, classIndex: want.classIndex, summary: expect.any(String), positiveClass: null, thresholds: [] });
      expect(decision.reasons.map((r) => r.code)).toEqual(want.reasons.map((r) => r.code));
      expect(decision.evidence).toEqual(similar);
      expect(decision.evidence.map((e) => e.id)).toEqual(want.evidence.map((e) => e.id));
      expect(decision.uncertainty.maxProbability).toBeCloseTo(want.uncertainty.maxProbability, 5);
      expect(decision.uncertainty.entropy).toBeCloseTo(want.uncertainty.entropy, 5);
      expect(decision.model).toEqual({ name: 'patterns', version: 1, configHash: expect.stringMatching(/^[0-9a-f]+$/) });
      // Clean test patterns: each its own class, decided without referral (the default policy).
      expect(label).toBe(TEST_CLASSES[i]);
      expect(decision).toMatchObject({ outcome: 'class', label: TEST_CLASSES[i] });
      expect(decision.summary).toMatch(new RegExp(`^${TEST_CLASSES[i]} \\(most probable, p \\d\\.\\d\\d\\)$`));
    });
  });
});
