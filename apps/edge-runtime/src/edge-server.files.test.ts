import { loadResolvedBundle, resolveBundle } from '@cvf/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import type { EdgeServerOptions } from './edge-server-options.js';
import { createLogger } from './logger.js';
import { patternDicom, patternPng } from './testing/test-images.js';
import { TEST_CLASSES, trainTestModel } from './testing/train-test-model.js';

let dir: string;
let store: string;
let server: EdgeServer;
const servers: EdgeServer[] = [];
const silent = createLogger({ level: 'silent' });

async function start(options: Partial<EdgeServerOptions> = {}): Promise<EdgeServer> {
  // DICOM worker threads only where a test sends DICOM (each takes a while to start from the sources).
  const started = await createEdgeServer({ models: ['patterns@production'], store, logger: silent, decodeWorkers: 0, ...options });
  servers.push(started);
  return started;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-files-'));
  store = (await trainTestModel(dir, { name: 'patterns', alias: 'production' })).store;
  server = await start({ decodeWorkers: 1 });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(base: string, path: string, body: BodyInit, type?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(base + path, { method: 'POST', body, headers: { ...(type && { 'content-type': type }), ...headers } });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function form(files: { name: string; bytes: Uint8Array<ArrayBuffer>; type: string }[]): FormData {
  const data = new FormData();
  for (const f of files) data.append('file', new Blob([f.bytes], { type: f.type }), f.name);
  return data;
}

describe('file routes', () => {
  it('with searchThreads 2 the case index is searched on two threads, and the similar cases are the same', async () => {
    const threaded = await start({ searchThreads: 2 });
    const [one, two] = await Promise.all([server, threaded].map(async (s) => (await post(s.url, '/v1/predict', await patternPng(2), 'image/png')).body.predictions[0].similar));
    expect(two).toHaveLength(3);
    expect(two).toEqual(one);
    expect(threaded.searchThreads()).toEqual({ patterns: 2 });
    expect(server.searchThreads()).toEqual({ patterns: 1 });
  });

  it('a PNG body is classified, with what cvf predict --json prints, the model version and timings', async () => {
    const { status, body } = await post(server.url, '/v1/models/patterns/predict', await patternPng(1), 'image/png');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ model: 'patterns', model_version: '1', timings: { decode_ms: expect.any(Number), queue_ms: expect.any(Number), inference_ms: expect.any(Number), total_ms: expect.any(Number) } });
    expect(body.predictions).toHaveLength(1);
    const [p] = body.predictions;
    expect(p).toMatchObject({ file: 'body', classIndex: 1, label: 'vbars' });
    expect(p.probabilities).toHaveLength(TEST_CLASSES.length);
    expect(p.top[0]).toMatchObject({ classIndex: 1, label: 'vbars' });
    expect(p.similar).toHaveLength(3);
    expect(p.similar[0]).toEqual({ id: expect.any(String), label: expect.any(String), score: expect.any(Number) });
    expect(p.features).toBeUndefined();
  });

  it('a DICOM body (application/dicom) and several files in multipart/form-data are classified in order', async () => {
    const dicom = await post(server.url, '/v1/predict', patternDicom(2), 'application/dicom');
    expect(dicom.status, JSON.stringify(dicom.body)).toBe(200);
    expect(dicom.body.predictions[0]).toMatchObject({ label: 'square' });
    const files = [
      { name: 'a.png', bytes: await patternPng(0), type: 'image/png' },
      { name: 'b.dcm', bytes: patternDicom(1), type: 'application/dicom' },
      { name: 'c.bin', bytes: await patternPng(2), type: 'application/octet-stream' },
    ];
    const multi = await fetch(`${server.url}/v1/models/patterns/predict?similar=1`, { method: 'POST', body: form(files) });
    const body = await multi.json();
    expect(multi.status, JSON.stringify(body)).toBe(200);
    expect(body.predictions.map((p: { file: string; label: string }) => [p.file, p.label])).toEqual([
      ['a.png', 'hbars'],
      ['b.dcm', 'vbars'],
      ['c.bin', 'square'],
    ]);
    expect(body.predictions.every((p: { similar: unknown[] }) => p.similar.length === 1)).toBe(true);
  });

  it('serves the thumbnail of a similar case as a PNG, and 404 for an unknown case', async () => {
    const { body } = await post(server.url, '/v1/predict', await patternPng(0), 'image/png');
    const id = body.predictions[0].similar[0].id as string;
    const thumbnail = await fetch(`${server.url}/v1/models/patterns/cases/${encodeURIComponent(id)}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/png');
    expect(Array.from(new Uint8Array(await thumbnail.arrayBuffer()).subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const missing = await fetch(`${server.url}/v1/models/patterns/cases/no-such-case/thumbnail`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('CASE_NOT_FOUND');
  });
});

describe('bad input never kills the server', () => {
  it.each([
    ['an unsupported Content-Type', 415, 'INPUT_UNSUPPORTED_MEDIA', 'text/plain', () => new Uint8Array(new TextEncoder().encode('hello'))],
    ['bytes that are no image', 415, 'INPUT_UNSUPPORTED_MEDIA', 'application/octet-stream', () => new TextEncoder().encode('just text, not an image')],
    ['a truncated PNG', 422, 'IMAGE_DECODE_FAILED', 'image/png', async () => (await patternPng(0)).subarray(0, 40)],
    ['a truncated DICOM file', 422, 'DICOM_', 'application/dicom', () => patternDicom(0).subarray(0, 200)],
    ['a DICOM larger than the input contract allows', 422, 'INPUT_CONTRACT_MISMATCH', 'application/dicom', () => patternDicom(0, { rows: 100 })],
    ['an empty body', 400, 'EMPTY_BODY', 'image/png', () => new Uint8Array(0)],
    ['a broken multipart body', 400, 'MULTIPART_INVALID', 'multipart/form-data; boundary=xyz', () => new TextEncoder().encode('--xyz\r\nno headers')],
  ])('%s → %i %s', async (_, status, code, type, bytes) => {
    const response = await post(server.url, '/v1/models/patterns/predict', await bytes(), type);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(response.body.error.code).toMatch(new RegExp(`^${code}`));
    expect(typeof response.body.error.message).toBe('string');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('unknown routes, models and methods are 404 / 404 / 405 with a coded error', async () => {
    const nope = await fetch(`${server.url}/nope`);
    expect(nope.status).toBe(404);
    expect((await nope.json()).error.code).toBe('NOT_FOUND');
    const model = await post(server.url, '/v1/models/nope/predict', await patternPng(0), 'image/png');
    expect(model.status).toBe(404);
    expect(model.body.error.code).toBe('MODEL_NOT_FOUND');
    const method = await fetch(`${server.url}/v1/predict`);
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');
  });

  it('health aliases and metrics: /healthz, /readyz, and cvf_* series after predictions', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ live: true });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ ready: true });
    await post(server.url, '/v1/models/patterns/predict', await patternPng(2), 'image/png');
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/cvf_requests_total\{model="patterns",version="1",route="\/v1\/models\/\{model\}\/predict",status="200"\} \d+/);
    expect(text).toMatch(/cvf_model_info\{model="patterns",version="1",config_hash="[0-9a-f]+"\} 1/);
    // The model's age: when its bundle was written, for the stale-model alert.
    const { manifest } = await loadResolvedBundle(await resolveBundle('patterns@production', store));
    expect(Number(/cvf_model_created_timestamp_seconds\{model="patterns",version="1"\} (\S+)/.exec(text)?.[1])).toBe(Date.parse(manifest.createdAt) / 1000);
    expect(text).toMatch(/cvf_predictions_total\{model="patterns",version="1",class="square"\} \d+/);
    for (const name of ['cvf_request_duration_seconds_bucket', 'cvf_queue_duration_seconds_bucket', 'cvf_decode_duration_seconds_bucket', 'cvf_inference_duration_seconds_bucket', 'cvf_batch_size_bucket', 'cvf_queue_depth', 'cvf_process_cpu_seconds_total']) {
      expect(text, name).toContain(name);
    }
  });
});

describe('limits', () => {
  let limited: EdgeServer;
  beforeAll(async () => {
    // DICOM decoded on the event loop here (no worker threads): the pixel budget holds on both paths.
    limited = await start({ maxBodyBytes: 4096, maxPixels: 200 });
  });

  it('a body over --max-body is 413 BODY_TOO_LARGE', async () => {
    const { status, body } = await post(limited.url, '/v1/predict', new Uint8Array(5000), 'image/png');
    expect(status).toBe(413);
    expect(body.error.code).toBe('BODY_TOO_LARGE');
    // A chunked body declares no length: it is refused once it passes the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(new Uint8Array(1000));
        controller.close();
      },
    });
    const streamed = await fetch(`${limited.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe('BODY_TOO_LARGE');
    const v2 = await post(limited.url, '/v2/models/patterns/infer', new Uint8Array(5000), 'application/json');
    expect(v2.status).toBe(413);
    expect(typeof v2.body.error).toBe('string');
  });

  it('a PNG or DICOM whose header declares more than --max-pixels is 413 IMAGE_TOO_LARGE before decoding', async () => {
    const png = await post(limited.url, '/v1/predict', await patternPng(0), 'image/png');
    expect(png.status).toBe(413);
    expect(png.body.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('16 × 16 = 256 pixels') });
    const dicom = await post(limited.url, '/v1/predict', patternDicom(0), 'application/dicom');
    expect(dicom.status).toBe(413);
    expect(dicom.body.error.message).toContain('Rows 16 × Columns 16 × 1 frames');
  });
});

describe('queue', () => {
  it('a full queue is 503 with Retry-After; a request that waits past its timeout is 503 QUEUE_TIMEOUT', async () => {
    // The first request waits for a batch that never fills (a long delay): the queue holds it.
    const slow = await start({ maxQueue: 1, maxBatch: 8, maxQueueDelayMs: 600_000, requestTimeoutMs: 600_000 });
    const png = await patternPng(0);
    const first = post(slow.url, '/v1/predict', png, 'image/png');
    while (!(await (await fetch(`${slow.url}/metrics`)).text()).includes('cvf_queue_depth{model="patterns"} 1')) await new Promise((r) => setTimeout(r, 20));
    const second = await post(slow.url, '/v1/predict', png, 'image/png');
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.body.error.code).toBe('QUEUE_FULL');
    await slow.close();
    // Drained on close: the queued request is dispatched and answered rather than dropped.
    expect((await first).status).toBe(200);

    const timing = await start({ maxBatch: 8, maxQueueDelayMs: 600_000, requestTimeoutMs: 50 });
    const expired = await post(timing.url, '/v1/predict', png, 'image/png');
    expect(expired.status).toBe(503);
    expect(expired.body.error.code).toBe('QUEUE_TIMEOUT');
  });
});

describe('credentials', () => {
  const key = 'test-key-0123456789abcdef';

  it('with --api-key, routes need "Authorization: Bearer <key>" (401 JSON otherwise); health probes do not', async () => {
    const secured = await start({ apiKeys: [key, 'another-key-0123456789'] });
    const png = await patternPng(1);
    const missing = await post(secured.url, '/v1/predict', png, 'image/png');
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHORIZED');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await post(secured.url, '/v1/predict', png, 'image/png', { authorization: 'Bearer test-key-0123456789abcdeX' });
    expect(wrong.status).toBe(401);
    const v2 = await fetch(`${secured.url}/v2/models/patterns`);
    expect(v2.status).toBe(401);
    expect(typeof (await v2.json()).error).toBe('string');
    expect((await post(secured.url, '/v1/predict', png, 'image/png', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await fetch(`${secured.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${secured.url}/metrics`)).status).toBe(401);
  });

  it('a non-loopback host without API keys refuses to start', async () => {
    await expect(createEdgeServer({ models: ['patterns@production'], store, host: '0.0.0.0', logger: silent })).rejects.toMatchObject({ code: 'SERVE_INSECURE', message: expect.stringContaining('--api-key') });
  });
});
