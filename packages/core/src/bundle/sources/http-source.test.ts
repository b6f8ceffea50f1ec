import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { sharpImageDecoder } from '../../node/image-decode-sharp.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { Predictor } from '../../pipeline/predictor.js';
import { loadBundle } from '../source.js';
import { httpSource } from './http-source.js';

// The committed v1 bundle, served by a real HTTP server on loopback: /v1/ as written,
// /tampered/ with one byte of head.onnx flipped, /broken/ answering 500 to everything.
const V1 = fileURLToPath(new URL('../fixtures/v1/', import.meta.url));
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
let base = '';
let close: () => Promise<void> = async () => {};

function fixtureFile(name: string): Buffer | null {
  if (!/^[\w.-]+$/.test(name)) return null;
  try {
    return readFileSync(join(V1, 'bundle', name));
  } catch {
    return null;
  }
}

beforeAll(async () => {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push({ path, headers: request.headers });
    const [, route, name = ''] = path.split('/');
    if (route === 'broken') return void response.writeHead(500, 'Internal Server Error').end('boom');
    if (route === 'unsigned-204' && name === 'manifest.sig') return void response.writeHead(204).end();
    const body = route === 'v1' || route === 'tampered' || route === 'unsigned-204' ? fixtureFile(decodeURIComponent(name)) : null;
    if (!body) return void response.writeHead(404).end('not found');
    if (route === 'tampered' && name === 'head.onnx') body[body.length - 1]! ^= 1;
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

describe('httpSource', () => {
  it('loads the v1 bundle over HTTP and predicts what it predicted when it was written', async () => {
    const bundle = await loadBundle(httpSource(`${base}/v1`, { headers: { authorization: 'Bearer t' } }));
    expect(bundle.manifest.stages.map((s) => s.kind)).toContain('head');
    expect(requests.at(-1)?.headers.authorization).toBe('Bearer t');

    const expected = JSON.parse(readFileSync(join(V1, 'expected-predictions.json'), 'utf8')) as { file: string; probabilities: number[]; similar: { id: string }[] }[];
    const predictor = await Predictor.load(httpSource(`${base}/v1/`), { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
    try {
      const images = await Promise.all(expected.map((e) => sharpImageDecoder.decode(readFileSync(join(V1, 'inputs', e.file)))));
      const predictions = await predictor.predict(images);
      expect(predictions).toHaveLength(expected.length);
      predictions.forEach((p, i) => {
        const diff = Math.max(...p.probabilities.map((v, c) => Math.abs(v - expected[i]!.probabilities[c]!)));
        expect(diff, expected[i]!.file).toBeLessThan(1e-6);
        expect(p.similar.map((s) => s.id), expected[i]!.file).toEqual(expected[i]!.similar.map((s) => s.id));
      });
    } finally {
      await predictor.release();
    }
  });

  it('reads 204 for the signature as no signature, as 404', async () => {
    expect((await loadBundle(httpSource(`${base}/unsigned-204/`))).signature).toBeUndefined();
    expect(requests.at(-1)?.path).toBe('/unsigned-204/manifest.sig');
    await expect(loadBundle(httpSource(`${base}/unsigned-204/`), { publicKey: 'k' })).rejects.toMatchObject({ code: 'BUNDLE_SIGNATURE_INVALID' });
  });

  it('refuses a tampered file with BUNDLE_CORRUPT naming it', async () => {
    await expect(loadBundle(httpSource(`${base}/tampered/`))).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('"head.onnx"') });
  });

  it('gives BUNDLE_NOT_FOUND with the status when the server fails, and when there is no manifest', async () => {
    await expect(loadBundle(httpSource(`${base}/broken/`))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: expect.stringMatching(/manifest\.json answered 500/) });
    await expect(loadBundle(httpSource(`${base}/nothing/`))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('manifest.json is missing') });
    await expect(loadBundle(httpSource('http://127.0.0.1:1/'))).rejects.toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('cannot fetch') });
  });

  it('refuses a path outside the bundle without making a request', async () => {
    const before = requests.length;
    const source = httpSource(`${base}/v1/`);
    await expect(source.read('../x')).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    await expect(source.read('/etc/passwd')).rejects.toMatchObject({ code: 'BUNDLE_INVALID' });
    expect(requests.length).toBe(before);
    // A file the server does not have is a missing file, not an error.
    expect(await source.read('absent.bin')).toBeNull();
    expect(requests.length).toBe(before + 1);
  });
});
