import { Rng } from '@cvf/core';
import { physicalCores } from '@cvf/core/node';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

function start(inferenceThread?: 'auto' | 'worker', ortThreads?: number): Promise<EdgeServer> {
  return createEdgeServer({ models: ['patterns@production'], store, decodeWorkers: 0, logger: createLogger({ level: 'silent' }), ...(inferenceThread && { inferenceThread }), ...(ortThreads !== undefined && { ortThreads }) });
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

// ONNX Runtime starts each session's intra-op pool (threads per run − 1) when the session is
// created: this process's thread list (Linux) shows how many threads the served sessions got.
const threadListReadable = process.platform === 'linux';
if (!threadListReadable) console.warn('[edge-server.inference-thread.test] the --ort-threads thread count is not checked: it reads /proc/self/task (Linux only)');
const threadIds = (): Set<string> => new Set(readdirSync('/proc/self/task'));

/** Threads a server started with `ortThreads` runs (started since it was created, still alive), and its answer. */
async function serverThreads(ortThreads: number): Promise<{ threads: number; answer: string; reported: number | undefined }> {
  const before = threadIds();
  const server = await start(undefined, ortThreads);
  try {
    const threads = [...threadIds()].filter((id) => !before.has(id)).length;
    return { threads, answer: await infer(server), reported: server.ortThreads };
  } finally {
    await server.close();
  }
}

describe('--ort-threads', () => {
  it('0 (the default) is one thread per physical core', async () => {
    const server = await start();
    try {
      expect(server.ortThreads).toBe(physicalCores());
    } finally {
      await server.close();
    }
  });

  it.runIf(threadListReadable)("n gives each served session n threads per run (n − 1 in ORT's pool), with the same answers", async () => {
    await serverThreads(1); // threads a process starts once (libuv's pool, ORT's own) start here
    const one = await serverThreads(1);
    const four = await serverThreads(4);
    expect(one.reported).toBe(1);
    expect(four.reported).toBe(4);
    // Three more pool threads for every session: at least one session, and whole sessions only.
    const extra = four.threads - one.threads;
    expect(extra).toBeGreaterThanOrEqual(3);
    expect(extra % 3).toBe(0);
    const probabilities = (answer: string) => answer.split(',').map(Number);
    probabilities(four.answer).forEach((p, i) => expect(p).toBeCloseTo(probabilities(one.answer)[i]!, 5));
  });

  it('refuses a negative or fractional count', async () => {
    for (const ortThreads of [-1, 1.5]) {
      await expect(createEdgeServer({ models: ['patterns@production'], store, logger: createLogger({ level: 'silent' }), ortThreads })).rejects.toMatchObject({ code: 'SERVE_OPTIONS_INVALID' });
    }
  });
});
