import { Rng } from '@cvf/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { TEST_IMAGE_SIZE, testPattern, trainTestModel } from './testing/train-test-model.js';

// Where a served model's ONNX Runtime runs go (--inference-thread), read from the server's own
// cvf_onnx_runs_total: a lone request runs on the event loop's thread, any other on the sessions' thread.

let dir: string;
let store: string;
const body = Buffer.from(
  JSON.stringify({ inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, TEST_IMAGE_SIZE, TEST_IMAGE_SIZE, 1], data: Array.from(testPattern(1, new Rng(5))) }] }),
);
const INFER = '/v2/models/patterns/infer';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-threads-'));
  store = (await trainTestModel(dir, { name: 'patterns', alias: 'production' })).store;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(inferenceThread?: 'auto' | 'worker'): Promise<EdgeServer> {
  return createEdgeServer({ models: ['patterns@production'], store, decodeWorkers: 0, logger: createLogger({ level: 'silent' }), ...(inferenceThread && { inferenceThread }) });
}

async function runs(server: EdgeServer): Promise<{ inference: number; eventLoop: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const count = (thread: string) => Number(new RegExp(`^cvf_onnx_runs_total\\{thread="${thread}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { inference: count('inference'), eventLoop: count('event_loop') };
}

async function infer(server: EdgeServer): Promise<string> {
  const response = await fetch(server.url + INFER, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { outputs: { name: string; data: number[] }[] }).outputs.find((o) => o.name === 'probabilities')!.data.join(',');
}

describe('--inference-thread', () => {
  it('auto (the default): requests one after another run on the event loop; one beside another request, on the inference thread, with the same answer', async () => {
    const server = await start();
    try {
      const before = await runs(server);
      expect(before.inference).toBeGreaterThan(0); // the warm-up
      const alone = [await infer(server), await infer(server), await infer(server)];
      const afterAlone = await runs(server);
      expect(afterAlone.inference).toBe(before.inference);
      expect(afterAlone.eventLoop).toBeGreaterThanOrEqual(before.eventLoop + 3);

      // A request whose body is still coming keeps the next one from being alone in the server.
      const url = new URL(server.url);
      const held = request({ host: url.hostname, port: url.port, method: 'POST', path: INFER, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
      const heldAnswer = new Promise<number>((resolve, reject) => {
        held.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        held.on('error', reject);
      });
      held.write(body.subarray(0, 16));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the server has read its headers
      const beside = await infer(server);
      const afterBeside = await runs(server);
      expect(afterBeside.eventLoop).toBe(afterAlone.eventLoop);
      expect(afterBeside.inference).toBeGreaterThan(afterAlone.inference);
      expect(new Set([...alone, beside]).size).toBe(1);
      held.end(body.subarray(16));
      expect(await heldAnswer).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('worker: every run goes to the inference thread', async () => {
    const server = await start('worker');
    try {
      const before = await runs(server);
      await infer(server);
      await infer(server);
      const after = await runs(server);
      expect(after.eventLoop).toBe(0);
      expect(after.inference).toBeGreaterThanOrEqual(before.inference + 2);
    } finally {
      await server.close();
    }
  });

  it('refuses a value it does not know', async () => {
    await expect(createEdgeServer({ models: ['patterns@production'], store, logger: createLogger({ level: 'silent' }), inferenceThread: 'main' as 'auto' })).rejects.toMatchObject({ code: 'SERVE_OPTIONS_INVALID' });
  });
});
