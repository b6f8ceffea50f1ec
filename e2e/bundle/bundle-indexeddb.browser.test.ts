import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUNDLE_SCHEMA_VERSION, CpuDevice, imageTensor, Predictor } from '@cvf/core';
import { createOrtNodeRuntime, folderSource } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';
import { filesOf, type StaticFile } from '../support/static-server.js';

// A Fashion-MNIST bundle trained by the installed `cvf` (as a user runs it), cached in the
// browser's IndexedDB and loaded back from there: the page must predict what Node predicts.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const T10K_IMAGES = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const SIZE = { height: 28, width: 28 };
const IMAGES = 16;

interface PagePrediction {
  probabilities: number[];
  similar: string[];
}
interface PageResult {
  saved: { key: string; name: string; paths: string[]; bytes: number };
  gpuBackend: string;
  cpu: PagePrediction[];
  webgpu: PagePrediction[];
  listed: string[];
  tamperedFile: string;
  tampered: { name: string; code: string; message: string } | null;
  missing: { name: string; code: string; message: string } | null;
  deleted: boolean;
  deletedAgain: boolean;
  afterDelete: string[];
}

const skip =
  chromiumUnavailable() ??
  requireInCi('the Fashion-MNIST dataset (Debian dataset-fashion-mnist)', existsSync(T10K_IMAGES) || `${T10K_IMAGES} is missing`);
const scratch = mkdtempSync(join(tmpdir(), 'cvf-e2e-bundle-'));
let bundleDir = '';
let pixels: number[][] = [];
let node: PagePrediction[] = [];
let opened: BundledPage | undefined;

/** `count` images spread over the official test set (IDX3, gzip), as rows of 0..255. */
function t10kImages(count: number): number[][] {
  const idx = gunzipSync(readFileSync(T10K_IMAGES));
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  const [magic, n, rows, cols] = [0, 4, 8, 12].map((offset) => view.getUint32(offset));
  if (magic !== 0x803 || rows !== SIZE.height || cols !== SIZE.width) throw new Error(`${T10K_IMAGES} is not a 28×28 IDX3 images file`);
  const pixelsPerImage = rows * cols;
  return Array.from({ length: count }, (_, i) => {
    const start = 16 + Math.floor((i * n!) / count) * pixelsPerImage;
    return Array.from(idx.subarray(start, start + pixelsPerImage));
  });
}

async function trainBundle(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'npx',
    [
      '--no-install',
      'cvf',
      'train',
      'configs/fashion-mnist/train.yaml',
      '--set',
      'data.limit=3000',
      '--set',
      'train.epochs=3',
      '--set',
      `tracking.store=${join(scratch, '.cvf')}`,
      '--set',
      'registry.register=false',
      '--json',
    ],
    { cwd: repoRoot, maxBuffer: 64 << 20 },
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { bundle: string };
  // The page must read what today's `cvf train` writes, not a v1 bundle upgraded on load.
  const { schemaVersion } = JSON.parse(readFileSync(join(summary.bundle, 'manifest.json'), 'utf8')) as { schemaVersion: number };
  if (schemaVersion !== BUNDLE_SCHEMA_VERSION) throw new Error(`cvf train wrote schema ${schemaVersion}, not ${BUNDLE_SCHEMA_VERSION}: the cvf build is stale (npm run build)`);
  return summary.bundle;
}

/** Files under `root`, served under `prefix`. */
function servedUnder(prefix: string, root: string, include: (name: string) => boolean = () => true): Record<string, StaticFile> {
  return Object.fromEntries(Object.entries(filesOf(root)).filter(([path]) => include(path.slice(1))).map(([path, file]) => [`${prefix}${path}`, file]));
}

function maxAbsDiff(a: PagePrediction[], b: PagePrediction[]): number {
  return Math.max(...a.flatMap((p, i) => p.probabilities.map((v, c) => Math.abs(v - b[i]!.probabilities[c]!))));
}

beforeAll(async () => {
  if (skip) return;
  bundleDir = await trainBundle();
  pixels = t10kImages(IMAGES);
  const predictor = await Predictor.load(folderSource(bundleDir), { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
  try {
    const predictions = await predictor.predict(pixels.map((p) => imageTensor('u8', { ...SIZE, channels: 1 }, Uint8Array.from(p))));
    node = predictions.map((p) => ({ probabilities: p.probabilities, similar: p.similar.map((s) => s.id) }));
  } finally {
    await predictor.release();
  }
  // onnxruntime-web fetches its WebAssembly build (.mjs glue + .wasm) from the page's wasmPaths.
  const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), {
    ready: 'runBundleChecks',
    title: 'bundle indexeddb',
    files: { ...servedUnder('/bundle', bundleDir), ...servedUnder('/ort', ortDist, (name) => /^ort-wasm-.*\.(mjs|wasm)$/.test(name)) },
  });
}, 300_000);
afterAll(async () => {
  await opened?.close();
  rmSync(scratch, { recursive: true, force: true });
});

it.skipIf(skip)('a bundle cached in IndexedDB predicts in Chromium what it predicts in Node, and a damaged cache is refused', async () => {
  const { page } = opened!;
  const errors: string[] = [];
  const ortFetched: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/ort/')) ortFetched.push(path);
  });
  const result = (await page.evaluate(([images, size]) => window.runBundleChecks(images, size), [pixels, SIZE] as const)) as PageResult;
  expect(errors).toEqual([]);
  // ONNX Runtime's WebAssembly came from wasmPaths, not from next to the script.
  console.log(`onnxruntime-web fetched: ${[...new Set(ortFetched)].join(', ')}`);
  expect(ortFetched).toContainEqual(expect.stringMatching(/^\/ort\/ort-wasm-simd-threaded.*\.wasm$/));

  const served = Object.keys(filesOf(bundleDir)).map((path) => path.slice(1)).sort();
  expect(result.saved).toMatchObject({ key: 'fashion-mnist@test', name: 'fashion-mnist', paths: served });
  expect(node).toHaveLength(IMAGES);
  expect(node[0]!.probabilities).toHaveLength(10);
  expect(node[0]!.similar.length).toBeGreaterThan(0);
  // Not one answer for every image: the check compares real predictions.
  expect(new Set(node.map((p) => p.probabilities.indexOf(Math.max(...p.probabilities)))).size).toBeGreaterThan(3);

  const cpuDiff = maxAbsDiff(result.cpu, node);
  const webgpuDiff = maxAbsDiff(result.webgpu, node);
  console.log(`browser vs Node, max |Δp| over ${IMAGES}×10 probabilities: CPU device ${cpuDiff.toExponential(2)}, WebGPU device ${webgpuDiff.toExponential(2)}`);
  expect(result.cpu).toHaveLength(IMAGES);
  expect(cpuDiff).toBeLessThanOrEqual(1e-5);
  expect(result.cpu.map((p) => p.similar)).toEqual(node.map((p) => p.similar));
  expect(result.gpuBackend).toBe('webgpu');
  expect(result.webgpu).toHaveLength(IMAGES);
  expect(webgpuDiff).toBeLessThanOrEqual(1e-4);

  expect(result.listed).toEqual(['fashion-mnist@tampered', 'fashion-mnist@test']);
  expect(result.tampered).toMatchObject({ name: 'BundleError', code: 'BUNDLE_CORRUPT', message: expect.stringContaining(`"${result.tamperedFile}"`) });
  expect(result.missing).toMatchObject({ code: 'BUNDLE_NOT_FOUND', message: expect.stringContaining('indexeddb:cvf-bundles/fashion-mnist@nope') });
  expect(result.deleted).toBe(true);
  expect(result.deletedAgain).toBe(false);
  expect(result.afterDelete).toEqual(['fashion-mnist@test']);
});
