// bench/viewer: the studio viewer's figures in headless Chromium (SwiftShader WebGPU: correctness,
// not speed — a real GPU is far faster), beside Node doing the same work on the CPU:
//   - bundle download: bytes the page fetches for the registered Fashion-MNIST bundle, first visit;
//   - file drop → prediction on screen: a fresh single-frame DICOM given to the file input until its
//     prediction shows, with inference on WebGPU and on the CPU (ORT wasm); peer: Node decodeInput +
//     Predictor.predict on the CPU for the same file (what `cvf predict` does, without the process start);
//   - decode + render per slice: scrolling a 512² 16-bit CT series (worker decode, window-level on
//     the Device, canvas); peer: Node parse + decode + toDisplay on the CPU Device.
// Usage: npx tsx --conditions=source bench/viewer/run.ts [--quick]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CpuDevice, decodeInput, disposeDecodedInput, Predictor } from '@cvf/core';
import { createOrtNodeRuntime, folderSource, sharpImageDecoder } from '@cvf/core/node';
import { decodeFrames, deriveDisplayParams, dicomInputDecoder, frameTensor, parseDicom, toDisplay } from '@cvf/medical';
import { startStudioServer } from '@cvf/studio/server';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/chromium.js';
import { ctSeries, fashionDicomFiles, repoRoot, trainRegisteredBundle, type ViewerFile } from '../../e2e/viewer/viewer-fixtures.js';
import { machine, printTable, writeResults } from '../support/report.js';

const quick = process.argv.includes('--quick');
const DROPS = quick ? 3 : 6;
const SLICES = quick ? 8 : 24;
const scratch = mkdtempSync(join(tmpdir(), 'cvf-bench-viewer-'));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const dist = join(scratch, 'dist');
const store = join(scratch, '.cvf');
const [trained] = await Promise.all([
  trainRegisteredBundle(store),
  promisify(execFile)('npx', ['--no-install', 'vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: join(repoRoot, 'apps/studio'), maxBuffer: 16 << 20 }),
]);
const options = { port: 0, host: '127.0.0.1', configs: join(repoRoot, 'configs'), dist, trainCommand: { command: process.execPath, args: [] }, log: () => {} };
const server = await startStudioServer({ ...options, store });
// The render figure runs without a model, so inference does not share the CPU with scrolling.
const emptyServer = await startStudioServer({ ...options, store: join(scratch, 'empty-store') });
const browser = await launchChromium();

async function open(page: Page, files: readonly ViewerFile[]): Promise<void> {
  await page.getByTestId('dicom-file-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })), { timeout: 180_000 });
}

// Bundle download and the drop → prediction time on each compute backend.
const page = await browser.newPage();
let bundleBytes = 0;
page.on('response', (response) => {
  if (!/\/bundle\//.test(new URL(response.url()).pathname)) return;
  response.body().then(
    (body) => (bundleBytes += body.byteLength),
    () => undefined,
  );
});
const visitStart = performance.now();
await page.goto(new URL('/viewer', server.url).href);
await page.getByTestId('inference-backend').waitFor({ timeout: 120_000 });
const firstVisitMs = performance.now() - visitStart;

const dropRows: Record<string, string | number>[] = [];
for (const compute of ['auto', 'cpu'] as const) {
  await page.getByTestId('compute-preference').selectOption(compute);
  await page.locator(`[data-testid=inference-backend]:text-is("${compute === 'auto' ? 'webgpu' : 'cpu'}")`).waitFor({ timeout: 120_000 });
  const times: number[] = [];
  for (let i = 0; i < DROPS; i++) {
    const file = { ...fashionDicomFiles().series[0]!, name: `${compute}-${i}.dcm` };
    const start = performance.now();
    await open(page, [file]);
    await page.locator(`[data-testid=prediction][data-file="${file.name}"]`).waitFor({ timeout: 120_000 });
    times.push(performance.now() - start);
  }
  dropRows.push({ implementation: `viewer, Chromium, ${compute === 'auto' ? 'WebGPU (SwiftShader) + ORT wasm head' : 'CPU device + ORT wasm'}`, firstMs: times[0]!, medianLaterMs: median(times.slice(1)) });
}
const backend = await page.getByTestId('onnx-providers').textContent();

// Peer: Node, the same file through decodeInput and the Predictor on the CPU.
{
  const device = new CpuDevice();
  const predictor = await Predictor.load(folderSource(trained.bundle), { device, onnxRuntime: await createOrtNodeRuntime() });
  const window = predictor.bundle.manifest.preprocess.window;
  const times: number[] = [];
  for (let i = 0; i < DROPS; i++) {
    const bytes = new Uint8Array(fashionDicomFiles().series[0]!.buffer);
    const start = performance.now();
    const input = await decodeInput(bytes, undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window ? { window } : {}) });
    await predictor.predict([input]);
    disposeDecodedInput(input);
    times.push(performance.now() - start);
  }
  await predictor.release();
  dropRows.push({ implementation: 'peer: Node decodeInput + Predictor (CPU, ORT cpu)', firstMs: times[0]!, medianLaterMs: median(times.slice(1)) });
}

// Decode + render per slice of a 512² 16-bit CT series, scrolling.
const ct = ctSeries(SLICES, 512);
const renderPage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await renderPage.goto(new URL('/viewer', emptyServer.url).href);
await open(renderPage, ct);
const canvas = renderPage.getByTestId('dicom-canvas');
await renderPage.waitForFunction(() => document.querySelector('[data-testid=dicom-canvas]')?.getAttribute('data-rendered') !== '', undefined, { timeout: 120_000 });
await canvas.focus();
const sliceTimes: number[] = [];
for (let i = 1; i < SLICES; i++) {
  const before = await canvas.getAttribute('data-rendered');
  const start = performance.now();
  await renderPage.keyboard.press('ArrowDown');
  await renderPage.waitForFunction((previous) => document.querySelector('[data-testid=dicom-canvas]')?.getAttribute('data-rendered') !== previous, before, { timeout: 60_000, polling: 'raf' });
  sliceTimes.push(performance.now() - start);
}
const renderRows: Record<string, string | number>[] = [{ implementation: 'viewer, Chromium: worker decode + window-level on WebGPU (SwiftShader) + canvas', msPerSlice: median(sliceTimes), slices: sliceTimes.length }];
{
  const device = new CpuDevice();
  const times: number[] = [];
  for (const file of ct) {
    const start = performance.now();
    const parsed = parseDicom(new Uint8Array(file.buffer));
    const decoded = await decodeFrames(parsed, { frames: [0] });
    const shown = await toDisplay(device, frameTensor(decoded, 0), deriveDisplayParams(parsed));
    await device.read(shown);
    times.push(performance.now() - start);
  }
  renderRows.push({ implementation: 'peer: Node parse + decode + toDisplay (CPU device)', msPerSlice: median(times.slice(1)), slices: times.length - 1 });
}

await browser.close();
await server.close();
await emptyServer.close();
rmSync(scratch, { recursive: true, force: true });

console.log(`\nbundle download (first visit): ${(bundleBytes / 1024).toFixed(0)} KiB; page open → model ready ${firstVisitMs.toFixed(0)} ms; ONNX Runtime providers: ${backend}\n`);
console.log('file drop → prediction on screen (28×28 DICOM):');
printTable(dropRows);
console.log('\ndecode + render per slice (512×512 16-bit CT):');
printTable(renderRows);
const file = writeResults('viewer', { machine: machine(), quick, bundleBytes, firstVisitMs, onnxProviders: backend, drop: dropRows, render: renderRows });
console.log(`\n${file}`);
