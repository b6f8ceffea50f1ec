import { SqliteTrackingStore } from '@cvf/core/node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { patternDicom, patternPng } from './testing/test-images.js';
import { trainTestModel } from './testing/train-test-model.js';

let dir: string;
let store: string;
let server: EdgeServer;
const warnings: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-reload-'));
  store = (await trainTestModel(dir, { name: 'patterns', alias: 'production', seed: 1 })).store;
  // Version 2 is registered, but production stays on version 1 until the test moves it.
  expect((await trainTestModel(dir, { name: 'patterns', seed: 2 })).version).toBe(2);
  server = await createEdgeServer({
    models: ['patterns@production'],
    store,
    reloadIntervalMs: 50,
    logger: createLogger({ level: 'warn', destination: { write: (line: string) => void warnings.push(line) } }),
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('follows its alias in the real SQLite registry: the moved version is swapped in under load with zero failed requests', async () => {
  const png = await patternPng(0);
  const dicom = patternDicom(1);
  const versions = new Set<string>();
  const failures: string[] = [];
  let stop = false;
  let afterMove = 0;
  let moved = false;
  // Four clients send PNG, DICOM and v2 requests back to back while the alias moves.
  const client = async (n: number): Promise<void> => {
    while (!stop) {
      const kind = n % 3;
      const response =
        kind === 2
          ? await fetch(`${server.url}/v2/models/patterns/infer`, {
              method: 'POST',
              body: JSON.stringify({ inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 16, 16, 1], data: Array.from(new Uint8Array(256).fill(90)) }] }),
            })
          : await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', headers: { 'content-type': kind === 0 ? 'image/png' : 'application/dicom' }, body: kind === 0 ? png : dicom });
      const body = await response.json();
      if (response.status !== 200) failures.push(`${response.status} ${JSON.stringify(body)}`);
      else {
        versions.add(body.model_version);
        if (moved && body.model_version === '2') afterMove++;
      }
      n++;
    }
  };
  const clients = [0, 1, 2, 3].map((n) => client(n));
  while (versions.size === 0) await new Promise((r) => setTimeout(r, 10));
  const registry = SqliteTrackingStore.open(store);
  try {
    await registry.setAlias('patterns', 2, 'production');
  } finally {
    registry.close();
  }
  moved = true;
  // The poll picks the move up; keep the load on until version 2 has answered a few requests.
  while (afterMove < 12) await new Promise((r) => setTimeout(r, 10));
  stop = true;
  await Promise.all(clients);
  expect(failures).toEqual([]);
  expect([...versions].sort()).toEqual(['1', '2']);
  expect(server.models()).toEqual([{ name: 'patterns', version: '2' }]);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/cvf_model_info\{model="patterns",version="2",config_hash="[0-9a-f]+"\} 1/);
  expect(metrics).not.toMatch(/cvf_model_info\{model="patterns",version="1"/);
  expect(metrics).toMatch(/cvf_model_created_timestamp_seconds\{model="patterns",version="2"\} \d/);
  expect(metrics).not.toMatch(/cvf_model_created_timestamp_seconds\{model="patterns",version="1"/);
  const metadata = await (await fetch(`${server.url}/v2/models/patterns`)).json();
  expect(metadata.versions).toEqual(['2']);
  expect((await fetch(`${server.url}/v2/models/patterns/versions/1`)).status).toBe(404);
});

it('an alias moved to a version that cannot be served (a corrupt bundle) leaves the current version serving', async () => {
  const broken = await trainTestModel(dir, { name: 'patterns', seed: 3 });
  expect(broken.version).toBe(3);
  // Bytes changed behind the manifest's SHA-256: loading refuses the bundle (BUNDLE_CORRUPT).
  const head = join(broken.bundle, 'head.onnx');
  writeFileSync(head, Buffer.concat([readFileSync(head), Buffer.from([0])]));
  const registry = SqliteTrackingStore.open(store);
  try {
    await registry.setAlias('patterns', 3, 'production');
  } finally {
    registry.close();
  }
  await server.checkForUpdates();
  expect(server.models()).toEqual([{ name: 'patterns', version: '2' }]);
  // The failure is a warning, and the polls that follow (every 50 ms) do not retry that version.
  const failures = () => warnings.filter((w) => w.includes('could not be served')).length;
  const logged = failures();
  expect(logged).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 300));
  expect(failures()).toBe(logged);
  const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: await patternPng(2) });
  expect(response.status).toBe(200);
  expect((await response.json()).model_version).toBe('2');
});
