import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { patternDicom } from './testing/test-images.js';
import { trainTestModel } from './testing/train-test-model.js';

let dir: string;
let server: EdgeServer;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-logs-'));
  const { store } = await trainTestModel(dir, { name: 'patterns', alias: 'production' });
  server = await createEdgeServer({ models: ['patterns@production'], store, decodeWorkers: 0, logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }) });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('logs one JSON line per request with its id, route, status, latency, model and version — never DICOM attribute values', async () => {
  const uid = '2.25.987654321012345';
  const dicom = patternDicom(1, { sopInstanceUID: uid });
  const ok = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', headers: { 'content-type': 'application/dicom', 'x-request-id': 'pacs-42' }, body: dicom });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('x-request-id')).toBe('pacs-42');
  const bad = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', headers: { 'content-type': 'application/dicom' }, body: dicom.subarray(0, 300) });
  expect(bad.status).toBe(422);
  const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
  expect(requests).toContainEqual(expect.objectContaining({ reqId: 'pacs-42', route: '/v1/models/{model}/predict', status: 200, latencyMs: expect.any(Number), model: 'patterns', version: '1' }));
  expect(requests).toContainEqual(expect.objectContaining({ reqId: bad.headers.get('x-request-id'), status: 422 }));
  const all = lines.join('\n');
  expect(all).not.toContain('TEST-PATIENT-7');
  expect(all).not.toContain(uid);
});
