import { SqliteTrackingStore } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { readInferenceLog } from '@cvf/edge-runtime';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// Real images: Debian's Fashion-MNIST (scripts/setup.sh installs it); real DICOM: pydicom's test files.
const FASHION = '/usr/share/datasets/fashion-mnist';
const CT_SMALL = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const missing = requireInCi(`Debian's Fashion-MNIST and pydicom's test files`, (existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) && existsSync(CT_SMALL)) || `no ${FASHION} or ${CT_SMALL}`);
const main = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A real `cvf serve` process (tsx as a loader, so the signal reaches the server itself), and the URL its "ready" log line names. */
async function startServe(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; exit: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'serve', ...args, '--port', '0', '--device', 'cpu'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split('\n').find((line) => line.includes('"msg":"ready"'));
      if (ready) resolve(JSON.parse(ready).url);
    });
    void exit.then((code) => reject(new Error(`cvf serve exited ${code} before it was ready:\n${output}`)));
  });
  return { child, url, exit, output: () => output };
}

async function queueDepth(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/cvf_queue_depth\{model="fashion-mnist"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe.skipIf(missing)('cvf serve', () => {
  let dir: string;
  let store: string;
  let png: Uint8Array<ArrayBuffer>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-serve-'));
    store = join(dir, '.cvf');
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: fashion-mnist
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  limit: 400
  classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
pca: { enabled: true, components: 16 }
model: { head: softmax }
train: { epochs: 5, batchSize: 32 }
registry: { register: true, modelName: fashion-mnist, alias: production }
compute: { device: cpu }
tracking: { store: ${store} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const { default: sharp } = await import('sharp');
    const pixels = (await import('node:zlib')).gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16, 16 + 784);
    png = new Uint8Array(await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM drains: the requests in flight are answered, then the process exits 0; predictions reached the inference log', async () => {
    // Batches wait (almost) forever to fill, so the requests are surely in flight when the signal comes.
    const serve = await startServe(['fashion-mnist@production', '--store', store, '--max-batch', '64', '--max-queue-delay-ms', '600000']);
    const dicom = new Uint8Array(readFileSync(CT_SMALL));
    const inFlight = [0, 1, 2, 3, 4].map((i) =>
      fetch(`${serve.url}/v1/predict`, { method: 'POST', headers: { 'content-type': i % 2 ? 'application/dicom' : 'image/png' }, body: i % 2 ? dicom : png }),
    );
    while ((await queueDepth(serve.url)) < inFlight.length) await new Promise((r) => setTimeout(r, 20));
    serve.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(bodies.every((b) => b.model === 'fashion-mnist' && b.model_version === '1' && b.predictions.length === 1)).toBe(true);
    expect(await serve.exit, serve.output()).toBe(0);
    await expect(fetch(`${serve.url}/healthz`)).rejects.toThrow();
    // The log holds features and outputs, and the DICOM's SOP Instance UID only hashed.
    const records = await readInferenceLog(join(store, 'inference-log'));
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({ model: 'fashion-mnist', version: '1', features: expect.any(Array) });
    expect(records[0]!.features).toHaveLength(16);
    const uid = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322';
    expect(readFileSync(join(store, 'inference-log', (await import('node:fs')).readdirSync(join(store, 'inference-log')).find((f) => f.endsWith('.jsonl'))!), 'utf8')).not.toContain(uid);
  });

  it('SIGHUP makes a NAME@ALIAS model check its alias now: the moved version answers next', async () => {
    const serve = await startServe(['fashion-mnist@production', '--store', store, '--reload-interval-ms', '0', '--no-inference-log', '--decode-workers', '0']);
    const predict = async () => (await (await fetch(`${serve.url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })).json()).model_version;
    expect(await predict()).toBe('1');
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json', '--set', 'registry.alias=staging');
    expect(trained.exitCode, trained.stderr).toBe(0);
    const registry = SqliteTrackingStore.open(store);
    await registry.setAlias('fashion-mnist', 2, 'production');
    registry.close();
    // Without polling, only the signal makes it look.
    expect(await predict()).toBe('1');
    serve.child.kill('SIGHUP');
    while ((await predict()) !== '2') await new Promise((r) => setTimeout(r, 50));
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
  });

  it('refuses a non-loopback host without credentials, and a model that is not there, with exit code 2', async () => {
    const open = await runCli('serve', 'fashion-mnist@production', '--store', store, '--host', '0.0.0.0', '--port', '0', '--device', 'cpu', '--no-inference-log');
    expect(open.exitCode).toBe(2);
    expect(open.stderr).toMatch(/SERVE_INSECURE.*--api-key/);
    const nothing = await runCli('serve', 'fashion-mnist@nope', '--store', store, '--port', '0', '--device', 'cpu', '--no-inference-log');
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain('BUNDLE_NOT_FOUND');
  });
});
