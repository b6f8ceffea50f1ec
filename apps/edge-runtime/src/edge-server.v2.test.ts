import { Rng } from '@cvf/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createInferenceLog, readInferenceLog, type InferenceLog } from './inference-log.js';
import { createLogger } from './logger.js';
import { TEST_CLASSES, TEST_IMAGE_SIZE, testPattern, trainTestModel } from './testing/train-test-model.js';

// A KServe / Triton Open Inference Protocol v2 REST client, written from the specification
// (kserve.github.io "Open Inference Protocol" and its binary tensor data extension), driving the
// real server over HTTP.

type Datatype = 'UINT8' | 'FP16' | 'FP32' | 'BYTES';
interface Tensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: number[] | string[];
}
const BYTES: Record<Exclude<Datatype, 'BYTES'>, number> = { UINT8: 1, FP16: 2, FP32: 4 };

/** IEEE binary16 from its bits (the spec: FP16 travels as binary, little-endian). */
function half(bits: number): number {
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  const s = bits & 0x8000 ? -1 : 1;
  return e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
}

class V2Client {
  constructor(readonly base: string) {}

  async get(path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(this.base + path);
    return { status: response.status, body: await response.json() };
  }

  /** POST …/infer with JSON tensors, or (binaryInputs) the JSON header + binary section. */
  async infer(
    model: string,
    inputs: Tensor[],
    options: { version?: string; binaryInputs?: boolean; outputs?: { name: string; binary?: boolean }[]; binaryOutput?: boolean; id?: string; parameters?: Record<string, unknown> } = {},
  ): Promise<{ status: number; headers: Headers; body: any; outputs: Record<string, Tensor> }> {
    const binaries: Uint8Array[] = [];
    const request = {
      ...(options.id && { id: options.id }),
      parameters: { ...(options.binaryOutput !== undefined && { binary_data_output: options.binaryOutput }), ...options.parameters },
      inputs: inputs.map((t) => {
        if (!options.binaryInputs) return t;
        const bytes = encode(t);
        binaries.push(bytes);
        return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: bytes.length } };
      }),
      ...(options.outputs && { outputs: options.outputs.map((o) => ({ name: o.name, ...(o.binary !== undefined && { parameters: { binary_data: o.binary } }) })) }),
    };
    const json = new TextEncoder().encode(JSON.stringify(request));
    const headers: Record<string, string> = { 'content-type': binaries.length ? 'application/octet-stream' : 'application/json' };
    if (binaries.length) headers['inference-header-content-length'] = String(json.length);
    const path = `/v2/models/${model}${options.version ? `/versions/${options.version}` : ''}/infer`;
    const response = await fetch(this.base + path, { method: 'POST', headers, body: Buffer.concat([json, ...binaries]) });
    const raw = new Uint8Array(await response.arrayBuffer());
    const headerLength = response.headers.get('inference-header-content-length');
    const jsonEnd = headerLength === null ? raw.length : Number(headerLength);
    const body = JSON.parse(new TextDecoder().decode(raw.subarray(0, jsonEnd)));
    const outputs: Record<string, Tensor> = {};
    let at = jsonEnd;
    for (const o of body.outputs ?? []) {
      const size = o.parameters?.binary_data_size;
      if (size === undefined) outputs[o.name] = o;
      else {
        outputs[o.name] = { ...o, data: decode(raw.subarray(at, at + size), o.datatype) };
        at += size;
      }
    }
    if (headerLength !== null) expect(at).toBe(raw.length);
    return { status: response.status, headers: response.headers, body, outputs };
  }
}

/** Row-major, little-endian, no padding; BYTES elements as a 4-byte length and the bytes. */
function encode(t: Tensor): Uint8Array {
  if (t.datatype === 'BYTES') throw new Error('not needed here');
  const values = (t.data as number[]).flat(Infinity as 1) as number[];
  const out = new DataView(new ArrayBuffer(values.length * BYTES[t.datatype]));
  values.forEach((v, i) => {
    if (t.datatype === 'UINT8') out.setUint8(i, v);
    else if (t.datatype === 'FP32') out.setFloat32(i * 4, v, true);
    else out.setUint16(i * 2, halfBits(v), true);
  });
  return new Uint8Array(out.buffer);
}

/** Exact for the integers 0..255 this test sends as FP16. */
function halfBits(v: number): number {
  if (v === 0) return 0;
  const e = Math.floor(Math.log2(v));
  return ((e + 15) << 10) | Math.round((v / 2 ** e - 1) * 1024);
}

function decode(bytes: Uint8Array, datatype: Datatype): number[] | string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: any[] = [];
  if (datatype === 'BYTES') {
    for (let at = 0; at < bytes.length; ) {
      const n = view.getUint32(at, true);
      out.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
  } else for (let i = 0; i < bytes.length / BYTES[datatype]; i++) out.push(datatype === 'UINT8' ? view.getUint8(i) : datatype === 'FP32' ? view.getFloat32(i * 4, true) : half(view.getUint16(i * 2, true)));
  return out;
}

let dir: string;
let server: EdgeServer;
let client: V2Client;
let version: string;
let inferenceLog: InferenceLog;
const rng = new Rng(99);
/** Two images per class, as [N, H, W, 1] nested arrays, and their classes. */
const labels = [0, 1, 2, 0, 1, 2];
const images = labels.map((label) => testPattern(label, rng));
const nested = images.map((pixels) => Array.from({ length: TEST_IMAGE_SIZE }, (_, y) => Array.from({ length: TEST_IMAGE_SIZE }, (_, x) => [pixels[y * TEST_IMAGE_SIZE + x]!])));
const flat = images.flatMap((pixels) => Array.from(pixels));
const shape = [labels.length, TEST_IMAGE_SIZE, TEST_IMAGE_SIZE, 1];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-v2-'));
  const trained = await trainTestModel(dir, { name: 'patterns', alias: 'production' });
  version = String(trained.version);
  inferenceLog = createInferenceLog({ dir: join(dir, 'inference-log') });
  server = await createEdgeServer({ models: ['patterns@production'], store: trained.store, decodeWorkers: 0, logger: createLogger({ level: 'silent' }), inferenceLog });
  client = new V2Client(server.url);
});
afterAll(async () => {
  await server?.close();
  await inferenceLog?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Open Inference Protocol v2, health and metadata', () => {
  it('server metadata names the binary tensor extension; live and ready are 200', async () => {
    const metadata = await client.get('/v2');
    expect(metadata.status).toBe(200);
    expect(metadata.body).toMatchObject({ name: expect.any(String), version: expect.any(String), extensions: expect.arrayContaining(['binary_tensor_data']) });
    expect(await client.get('/v2/health/live')).toEqual({ status: 200, body: { live: true } });
    expect(await client.get('/v2/health/ready')).toEqual({ status: 200, body: { ready: true } });
  });

  it('model metadata declares the image input and the outputs, with -1 for variable dimensions', async () => {
    for (const path of ['/v2/models/patterns', `/v2/models/patterns/versions/${version}`]) {
      const { status, body } = await client.get(path);
      expect(status).toBe(200);
      expect(body).toEqual({
        name: 'patterns',
        versions: [version],
        platform: expect.any(String),
        inputs: [{ name: 'image', datatype: 'UINT8', shape: [-1, TEST_IMAGE_SIZE, TEST_IMAGE_SIZE, 1] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, TEST_CLASSES.length] },
          { name: 'features', datatype: 'FP32', shape: [-1, 8] },
          { name: 'similar_ids', datatype: 'BYTES', shape: [-1, -1] },
          { name: 'similar_scores', datatype: 'FP32', shape: [-1, -1] },
        ],
      });
    }
    expect(await client.get(`/v2/models/patterns/versions/${version}/ready`)).toEqual({ status: 200, body: { name: 'patterns', ready: true } });
  });

  it('unknown models and versions are 404 with {"error": string}', async () => {
    for (const path of ['/v2/models/nope', '/v2/models/nope/ready', '/v2/models/patterns/versions/999']) {
      const { status, body } = await client.get(path);
      expect(status, path).toBe(404);
      expect(typeof body.error, path).toBe('string');
    }
  });
});

describe('Open Inference Protocol v2, inference', () => {
  it('JSON tensors, nested or flat, give the same probabilities, which classify the patterns', async () => {
    const a = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: nested as unknown as number[] }], { id: 'req-1' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toMatchObject({ model_name: 'patterns', model_version: version, id: 'req-1' });
    expect(a.outputs.probabilities!.shape).toEqual([labels.length, TEST_CLASSES.length]);
    expect(a.outputs.features!.shape).toEqual([labels.length, 8]);
    const p = a.outputs.probabilities!.data as number[];
    const predicted = labels.map((_, i) => {
      const row = p.slice(i * 3, i * 3 + 3);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      return row.indexOf(Math.max(...row));
    });
    expect(predicted).toEqual(labels);
    const b = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: flat }]);
    expect(b.outputs.probabilities!.data).toEqual(p);
  });

  it('binary tensors in and out (UINT8 and FP32) equal the JSON answer; FP16 in gives FP16 out within FP16 rounding', async () => {
    const json = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: flat }]);
    const want = json.outputs.probabilities!.data as number[];
    const binary = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: flat }], { binaryInputs: true, binaryOutput: true });
    expect(binary.status, JSON.stringify(binary.body)).toBe(200);
    expect(binary.headers.get('content-type')).toBe('application/octet-stream');
    expect(binary.body.outputs[0].parameters.binary_data_size).toBe(labels.length * 3 * 4);
    expect(binary.outputs.probabilities!.data).toEqual(want.map((v) => Math.fround(v)));
    const fp32 = await client.infer('patterns', [{ name: 'image', datatype: 'FP32', shape, data: flat }], { binaryInputs: true });
    (fp32.outputs.probabilities!.data as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    const fp16 = await client.infer('patterns', [{ name: 'image', datatype: 'FP16', shape, data: flat }], { binaryInputs: true, outputs: [{ name: 'probabilities', binary: true }] });
    expect(fp16.body.outputs).toEqual([{ name: 'probabilities', datatype: 'FP16', shape: [labels.length, 3], parameters: { binary_data_size: labels.length * 3 * 2 } }]);
    (fp16.outputs.probabilities!.data as number[]).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(Math.max(want[i]! * 2 ** -10, 2 ** -24)));
  });

  it('each inference is logged for monitoring with its features and its image statistics (for the input drift detector), no pixels', async () => {
    const answer = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: flat }]);
    expect(answer.status).toBe(200);
    await inferenceLog.flush();
    const records = (await readInferenceLog(join(dir, 'inference-log'))).slice(-labels.length);
    const features = answer.outputs.features!.data as number[];
    records.forEach((record, i) => {
      expect(record.features).toEqual(features.slice(i * 8, (i + 1) * 8).map((v) => expect.closeTo(v, 5)));
      const pixels = images[i]!;
      const mean = pixels.reduce((s, v) => s + v, 0) / pixels.length / 255;
      expect(record.input).toMatchObject({ width: TEST_IMAGE_SIZE, height: TEST_IMAGE_SIZE, mean: expect.closeTo(mean, 4) });
    });
  });

  it('similar cases on request: ids as BYTES (binary or JSON) and scores, k from similar_k', async () => {
    const outputs = [{ name: 'similar_ids', binary: true }, { name: 'similar_scores' }];
    const r = await client.infer('patterns', [{ name: 'image', datatype: 'UINT8', shape, data: flat }], { outputs, parameters: { similar_k: 2 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.outputs.similar_ids!.shape).toEqual([labels.length, 2]);
    expect(r.outputs.similar_ids!.data).toHaveLength(labels.length * 2);
    expect((r.outputs.similar_ids!.data as string[]).every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    const scores = r.outputs.similar_scores!.data as number[];
    for (let i = 0; i < labels.length; i++) expect(scores[i * 2]!).toBeGreaterThanOrEqual(scores[i * 2 + 1]!);
  });

  it.each([
    ['an unknown input name', { inputs: [{ name: 'pixels', datatype: 'UINT8', shape: [1, 16, 16, 1], data: [] }] }],
    ['a wrong shape', { inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 8, 8, 1], data: new Array(64).fill(0) }] }],
    ['too few data elements', { inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 16, 16, 1], data: [1, 2, 3] }] }],
    ['a UINT8 value over 255', { inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 16, 16, 1], data: new Array(256).fill(256) }] }],
    ['an unsupported datatype', { inputs: [{ name: 'image', datatype: 'INT64', shape: [1, 16, 16, 1], data: new Array(256).fill(0) }] }],
    ['an unknown output', { inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 16, 16, 1], data: new Array(256).fill(0) }], outputs: [{ name: 'logits' }] }],
    ['no inputs', { inputs: [] }],
  ])('%s is HTTP 400 {"error": string}', async (_, request) => {
    const response = await fetch(`${server.url}/v2/models/patterns/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(typeof body.error).toBe('string');
  });

  it('malformed JSON and a binary section that does not match binary_data_size are 400', async () => {
    const broken = await fetch(`${server.url}/v2/models/patterns/infer`, { method: 'POST', body: '{"inputs": [' });
    expect(broken.status).toBe(400);
    expect(typeof (await broken.json()).error).toBe('string');
    const header = JSON.stringify({ inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 16, 16, 1], parameters: { binary_data_size: 256 } }] });
    const short = await fetch(`${server.url}/v2/models/patterns/infer`, {
      method: 'POST',
      headers: { 'inference-header-content-length': String(Buffer.byteLength(header)) },
      body: Buffer.concat([Buffer.from(header), Buffer.alloc(100)]),
    });
    expect(short.status).toBe(400);
    expect((await short.json()).error).toMatch(/100 bytes/);
  });
});
