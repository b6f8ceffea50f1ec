import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireInCi } from '@cvf/core/testing';
import { startStudioServer, type StudioServer } from '@cvf/studio/server';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { nodeExplanation } from './node-explanations.js';
import { nodePredictions, type FilePrediction } from './node-predictions.js';
import { leaks, recordRequests, secretsOf, type RecordedRequest } from './privacy-recorder.js';
import { buildStudio, ctSeries, fashionDicomFiles, fashionPng, PATIENT, repoRoot, T10K_IMAGES, t10kImages, trainRegisteredBundle, type ViewerFile } from './viewer-fixtures.js';

// The studio's viewer against the real studio server and a registered Fashion-MNIST bundle: files
// opened in Chromium are decoded, windowed and inferred in the page (SwiftShader WebGPU), and the
// page predicts what Node predicts for the same files — without sending a pixel or an attribute.
const skip = chromiumUnavailable() ?? requireInCi('the Fashion-MNIST dataset (Debian dataset-fashion-mnist)', existsSync(T10K_IMAGES) || `${T10K_IMAGES} is missing`);
const scratch = mkdtempSync(join(tmpdir(), 'cvf-e2e-viewer-'));
/** Screenshots of each step, for a person to look at (not compared). */
export const SCREENSHOTS = process.env.CVF_SCREENSHOTS ?? join(scratch, 'screenshots');
const TOLERANCE = 1e-4;

let server: StudioServer | undefined;
let browser: Browser | undefined;
let page: Page;
let requests: RecordedRequest[] = [];
const pageErrors: string[] = [];
let files: { multiFrame: ViewerFile; series: ViewerFile[]; png: ViewerFile; ct: ViewerFile[] };
let node = new Map<string, FilePrediction>();
let bundleDir = '';

beforeAll(async () => {
  if (skip) return;
  const store = join(scratch, '.cvf');
  const dist = join(scratch, 'dist');
  // The app as shipped (vite build), built here so the test never runs a stale dist.
  const [trained] = await Promise.all([
    trainRegisteredBundle(store),
    buildStudio(dist),
  ]);
  bundleDir = trained.bundle;
  const dicom = fashionDicomFiles();
  files = { ...dicom, png: await fashionPng('garment.png', t10kImages(1, 91)[0]!), ct: ctSeries(5, 128) };
  node = await nodePredictions(trained.bundle, [dicom.multiFrame, ...dicom.series, files.png]);
  server = await startStudioServer({ port: 0, host: '127.0.0.1', store, configs: join(repoRoot, 'configs'), dist, trainCommand: { command: process.execPath, args: [] }, log: () => {} });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  requests = recordRequests(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto(new URL('/viewer', server.url).href);
  await page.getByTestId('inference-backend').waitFor({ timeout: 60_000 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (!process.env.CVF_SCREENSHOTS) rmSync(scratch, { recursive: true, force: true });
});

async function open(...opened: ViewerFile[]): Promise<void> {
  await page.getByTestId('dicom-file-input').setInputFiles(opened.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })));
}

/** The page's prediction once it is for `fileName` (frame `frame`). */
async function predictionFor(fileName: string, frame = 0): Promise<FilePrediction & { label: string }> {
  const shown = page.locator(`[data-testid=prediction][data-file="${fileName}"][data-frame="${frame}"]`);
  await shown.waitFor({ timeout: 60_000 });
  const probabilities = JSON.parse((await shown.getAttribute('data-probabilities'))!) as number[];
  const similar = await page.getByTestId('similar-case').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-case-id')!));
  const line = page.getByTestId('prediction-decision');
  const [outcome, decided, reasons] = await Promise.all([line.getAttribute('data-outcome'), line.getAttribute('data-decision-label'), line.getAttribute('data-reasons')]);
  return { probabilities, similar, label: (await shown.getAttribute('data-label'))!, decision: { outcome: outcome!, label: decided!, reasons: reasons! } };
}

function expectSamePrediction(page: FilePrediction, fileName: string): void {
  const expected = node.get(fileName)!;
  const diff = Math.max(...page.probabilities.map((p, i) => Math.abs(p - expected.probabilities[i]!)));
  expect(page.probabilities).toHaveLength(expected.probabilities.length);
  expect(diff, `${fileName}: max |Δp| browser vs Node`).toBeLessThanOrEqual(TOLERANCE);
  expect(page.similar).toEqual(expected.similar);
  expect(page.decision, `${fileName}: the decision line`).toEqual(expected.decision);
}

/** Rendering and inference run on SwiftShader: slow, so waits are long. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });
const overlay = (id: string) => page.getByTestId(id).textContent();

it.skipIf(skip)('loads the newest registered model, caches its bundle and runs it on WebGPU', async () => {
  expect(await page.getByTestId('model-picker').inputValue()).toMatch(/^fashion-mnist@1#/);
  await poll(() => page.getByTestId('bundle-cache-state').getAttribute('data-state')).toBe('cached');
  expect(await page.getByTestId('inference-backend').textContent()).toBe('webgpu');
  // The HOG bundle's only ONNX graph is its head, which core runs on the wasm provider.
  expect(await page.getByTestId('onnx-providers').textContent()).toBe('wasm');
  // The studio is cross-origin isolated: Web Workers search the flat case index's shared memory (one thread per core, at most 8).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(await page.getByTestId('search-threads').getAttribute('data-threads')).toBe(String(Math.min(cores, 8)));
});

it.skipIf(skip)('opens a multi-frame file, scrolls its frames and windows it; frame 1 is predicted as Node predicts it', async () => {
  await open(files.multiFrame);
  const canvas = page.getByTestId('dicom-canvas');
  await poll(() => canvas.getAttribute('data-rendered')).not.toBe('');
  expect(await overlay('overlay-frame')).toBe('frame 1 / 6');
  expect(await overlay('overlay-size')).toContain('28 × 28');
  expectSamePrediction(await predictionFor(files.multiFrame.name, 0), files.multiFrame.name);

  await canvas.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await poll(() => overlay('overlay-frame')).toBe('frame 3 / 6');
  await predictionFor(files.multiFrame.name, 2);
  await canvas.hover();
  await page.mouse.wheel(0, -100);
  await poll(() => overlay('overlay-frame')).toBe('frame 2 / 6');

  // Dragging right widens the window, dragging down raises its centre.
  const before = (await canvas.getAttribute('data-window'))!;
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  await poll(() => canvas.getAttribute('data-window')).not.toBe(before);
  const [center0, width0] = before.split('/').map(Number);
  const [center1, width1] = (await canvas.getAttribute('data-window'))!.split('/').map(Number);
  expect(width1).toBeGreaterThan(width0!);
  expect(center1).toBeGreaterThan(center0!);
  await poll(() => overlay('overlay-window')).toContain(`W ${Math.round(width1!)}`);
  await page.screenshot({ path: join(SCREENSHOTS, '1-multi-frame.png') });
});

it.skipIf(skip)('groups a series given out of order by its UIDs, sorts it by Instance Number, and each slice predicts as in Node', async () => {
  await open(...files.series);
  await poll(() => page.getByTestId('study').count()).toBe(2);
  expect(await page.locator('[data-testid=series][aria-pressed=true]').textContent()).toContain('4 images');
  const canvas = page.getByTestId('dicom-canvas');
  await canvas.focus();
  const inOrder = [...files.series].reverse();
  for (const [i, file] of inOrder.entries()) {
    if (i > 0) await page.keyboard.press('ArrowDown');
    await poll(() => overlay('overlay-slice')).toBe(`image ${i + 1} / 4`);
    expectSamePrediction(await predictionFor(file.name), file.name);
  }
  // The decision line says what was decided and why, as `cvf predict` does.
  const line = page.getByTestId('prediction-decision');
  expect(await line.getAttribute('data-model')).toBe('fashion-mnist@1');
  const { outcome, label } = node.get(inOrder[3]!.name)!.decision;
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(await line.textContent()).toMatch(outcome === 'refer' ? /^Refer — / : new RegExp(`^${escaped} at the 95%-sensitivity point \\(p \\d\\.\\d\\d ≥ \\d\\.\\d\\d\\)$`));
  await page.getByTestId('prediction').screenshot({ path: join(SCREENSHOTS, '6-decision.png') });
});

it.skipIf(skip)('a PNG dropped on the page opens as its own image and predicts as in Node', async () => {
  const { name, buffer } = files.png;
  const transfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(bytes)], name, { type: 'image/png' }));
      return data;
    },
    { name, bytes: [...buffer] },
  );
  await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  expectSamePrediction(await predictionFor(name), name);
  expect(await overlay('overlay-modality')).toBe('OT');
});

it.skipIf(skip)('saliency overlays an occlusion map, and a similar case enlarges on click', async () => {
  await page.getByTestId('saliency-toggle').check();
  await page.getByTestId('saliency-ready').waitFor({ timeout: 90_000 });
  expect(Number((await page.getByTestId('saliency-ready').textContent())!.split(' ')[0])).toBeGreaterThan(1);
  await page.getByTestId('saliency-opacity').fill('0.7');
  await page.screenshot({ path: join(SCREENSHOTS, '2-saliency.png') });
  const first = page.getByTestId('similar-case').first();
  const caseId = await first.getAttribute('data-case-id');
  await first.click();
  expect(await page.getByTestId('similar-case-enlarged').textContent()).toContain(`case ${caseId}`);
  await page.getByTestId('saliency-toggle').uncheck();
});

it.skipIf(skip)("LIME is computed in the page, cancellable, and equals core's LIME in Node; Grad-CAM and IG are refused for this HOG model with the reason", async () => {
  const method = page.getByTestId('saliency-method');
  expect(await method.locator('option[value=gradcam]').isDisabled()).toBe(true);
  expect(await method.locator('option[value=ig]').isDisabled()).toBe(true);
  expect(await page.getByTestId('saliency-unavailable').textContent()).toContain("this model's features are hog");

  // Kernel SHAP (~500 model calls) shows its progress and stops on Cancel, pressed from the keyboard.
  await method.selectOption('shap');
  await page.getByTestId('saliency-toggle').check();
  await page.getByTestId('saliency-progress').waitFor({ timeout: 60_000 });
  await page.getByTestId('saliency-cancel').press('Enter');
  await poll(() => page.getByTestId('saliency-stopped').textContent()).toContain('cancelled');

  await method.selectOption('lime');
  const ready = page.locator('[data-testid=saliency-ready][data-method=lime]');
  await ready.waitFor({ timeout: 180_000 });
  const attributions = JSON.parse((await ready.getAttribute('data-attributions'))!) as number[];
  // The viewer's LIME settings (seed 0, 500 samples, 36 superpixels) on the PNG on screen, in Node.
  const expected = await nodeExplanation(bundleDir, files.png, { method: 'lime', seed: 0, samples: 500, segments: 36, classIndex: Number(await ready.getAttribute('data-class-index')) });
  expect(attributions).toHaveLength(expected.attributions.length);
  const scale = Math.max(...expected.attributions.map(Math.abs));
  const diff = Math.max(...attributions.map((a, i) => Math.abs(a - expected.attributions[i]!)));
  expect(scale).toBeGreaterThan(0);
  // The page's probabilities agree with Node's to 1e-4; LIME's regression carries that over, scaled by the sum of its weights.
  expect(diff, 'max |Δ attribution| browser vs Node').toBeLessThanOrEqual(1e-3 * scale + 1e-5);

  // The overlay is drawn: coloured pixels over the grey garment.
  const coloured = await page.getByTestId('dicom-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - data[i + 1]!) > 24 || Math.abs(data[i + 1]! - data[i + 2]!) > 24) count++;
    return count;
  });
  expect(coloured).toBeGreaterThan(100);
  await page.screenshot({ path: join(SCREENSHOTS, '7-lime.png') });
  await page.getByTestId('saliency-toggle').uncheck();
  await method.selectOption('occlusion');
});

it.skipIf(skip)('a CT series windows in Hounsfield units with the CT presets', async () => {
  await open(...files.ct);
  await poll(() => overlay('overlay-modality')).toBe('CT');
  await poll(() => page.getByTestId('dicom-canvas').getAttribute('data-rendered')).toMatch(/:0$/);
  await page.getByTestId('window-preset').selectOption('lung');
  await poll(() => overlay('overlay-window')).toBe('W 1500 L -600 (lung)');
  await page.getByTestId('window-preset').selectOption('bone');
  await poll(() => page.getByTestId('dicom-canvas').getAttribute('data-window')).toBe('400/1800');
  await page.getByTestId('dicom-canvas').focus();
  await page.keyboard.press('End');
  await poll(() => overlay('overlay-slice')).toBe('image 5 / 5');
  await page.keyboard.press('ArrowUp');
  await poll(() => overlay('overlay-slice')).toBe('image 4 / 5');
  await page.screenshot({ path: join(SCREENSHOTS, '3-ct-bone.png') });
  // Cine steps through the series on its own, looping, until stopped.
  await page.getByTestId('cine-toggle').click();
  await poll(() => overlay('overlay-slice')).toBe('image 1 / 5');
  await page.getByTestId('cine-toggle').click();
  expect(await page.getByTestId('cine-toggle').getAttribute('aria-pressed')).toBe('false');
  // + zooms, R resets the view (and the window: back to the file's own).
  await page.getByTestId('dicom-canvas').focus();
  await page.keyboard.press('+');
  await poll(() => page.getByTestId('dicom-canvas').getAttribute('data-zoom')).toBe('1.25');
  await page.keyboard.press('r');
  await poll(() => page.getByTestId('dicom-canvas').getAttribute('data-zoom')).toBe('1');
  expect(await page.getByTestId('window-preset').inputValue()).toBe('dataset');
});

it.skipIf(skip)("the patient's identity stays hidden until the user shows it", async () => {
  await page.locator('[data-testid=series]').first().click();
  const body = () => page.locator('body').innerText();
  for (const value of [PATIENT.name, PATIENT.id, PATIENT.birthDate]) expect(await body()).not.toContain(value);
  await page.getByTestId('phi-toggle').check();
  expect(await overlay('overlay-phi')).toContain(PATIENT.id);
  await page.getByTestId('phi-toggle').uncheck();
  expect(await body()).not.toContain(PATIENT.id);
});

it.skipIf(skip)('teaches a 2-class head from 10 labelled images and saves it as a new version that loads and predicts those classes', async () => {
  const footwear = new Set(['Sandal', 'Sneaker', 'Ankle boot']);
  const series = page.locator('[data-testid=series]');
  const canvas = page.getByTestId('dicom-canvas');
  // The cine's 6 frames and the series' 4 images, labelled by what the model sees in them.
  for (const [seriesIndex, count] of [[0, 6], [1, 4]] as const) {
    await series.nth(seriesIndex).click();
    await canvas.focus();
    for (let i = 0; i < count; i++) {
      if (i > 0) await page.keyboard.press('ArrowDown');
      await poll(() => overlay('overlay-slice')).toBe(`image ${i + 1} / ${count}`);
      const shown = page.locator('[data-testid=prediction]');
      await poll(async () => (await shown.getAttribute('data-frame')) === String(seriesIndex === 0 ? i : 0) && (await shown.getAttribute('data-file'))!.startsWith(seriesIndex === 0 ? 'garments-cine' : 'garment-')).toBe(true);
      const label = footwear.has((await shown.getAttribute('data-label'))!) ? 'footwear' : 'clothing';
      await page.getByTestId('teach-class').fill(label);
      await page.getByTestId('teach-label').click();
      await canvas.focus();
    }
  }
  const counts = (await page.getByTestId('teach-counts').textContent())!;
  expect(counts).toMatch(/clothing: \d+/);
  expect(counts).toMatch(/footwear: \d+/);
  await page.getByTestId('teach-train').click();
  await page.getByTestId('teach-result').waitFor({ timeout: 90_000 });
  expect(await page.getByTestId('teach-class-accuracy').count()).toBe(2);
  expect(await page.getByTestId('teach-result').locator('caption').textContent()).toMatch(/held-out accuracy \d+% \(\d+ of 10 images held out\)/);
  await page.getByTestId('teach-save').click();
  await poll(() => page.getByTestId('teach-saved').textContent()).toBe('Saved fashion-mnist v2');
  await page.screenshot({ path: join(SCREENSHOTS, '4-teach.png') });

  // The new version is in the registry and the picker, and it predicts the taught classes.
  const v2 = page.locator('[data-testid=model-picker] option', { hasText: 'fashion-mnist v2' });
  await poll(() => v2.count()).toBe(1);
  await page.getByTestId('model-picker').selectOption((await v2.getAttribute('value'))!);
  await poll(() => page.locator('[data-testid=prediction]').getAttribute('data-label')).toMatch(/^(clothing|footwear)$/);
});

it.skipIf(skip)('no request carried pixel data or a DICOM attribute value, and the page raised no error', async () => {
  const secrets = secretsOf([files.multiFrame, ...files.series, ...files.ct].map((f) => new Uint8Array(f.buffer)));
  expect(secrets.texts).toContain(PATIENT.name);
  expect(secrets.pixelRuns.length).toBeGreaterThan(10);
  expect(leaks(requests, new URL(server!.url).origin, secrets)).toEqual([]);
  // Only reads while viewing and inferring; the writes are the taught head (embeddings, no pixels) and each decision shown, for the audit trail.
  const writes = requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${new URL(r.url).pathname}`);
  expect(writes.filter((w) => w !== 'POST /api/audit/decisions')).toEqual(['POST /api/models/fashion-mnist/teach']);
  const audited = requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/audit/decisions'));
  expect(audited.length).toBeGreaterThan(0);
  // A decision record carries the model, the decision and the digest of the SOP Instance UID: nothing else.
  for (const r of audited) expect(Object.keys(JSON.parse(r.body!.toString('utf8')) as object).sort()).toEqual(['decision', 'instanceDigest', 'model']);
  expect(requests.some((r) => /\/api\/models\/fashion-mnist\/versions\/1\/bundle\/manifest\.json$/.test(r.url))).toBe(true);
  expect(pageErrors).toEqual([]);
});

it.skipIf(skip)('after the first visit, the viewer and its cached bundle work with the studio server stopped', async () => {
  await poll(() => page.getByTestId('offline-state').getAttribute('data-state')).toBe('ready');
  const stopped = server!;
  server = undefined;
  await stopped.close();
  await page.reload();
  await page.getByTestId('inference-backend').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('bundle-cache-state').getAttribute('data-state')).toBe('cached');
  await open(files.series[0]!);
  await predictionFor(files.series[0]!.name);
  await page.screenshot({ path: join(SCREENSHOTS, '5-offline.png') });
});
