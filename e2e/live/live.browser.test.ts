import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireInCi } from '@cvf/core/testing';
import { startStudioServer, type StudioServer } from '@cvf/studio/server';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { recordRequests, type RecordedRequest } from '../viewer/privacy-recorder.js';
import { buildStudio, repoRoot, T10K_IMAGES, trainRegisteredBundle } from '../viewer/viewer-fixtures.js';
import { droppedVideoFile, fakeCameraFile, fakeCameraFlags, FFMPEG } from './live-fixtures.js';

// The studio's /live page against the real studio server and a registered Fashion-MNIST bundle:
// Chromium's fake camera plays a y4m made by ffmpeg, and a WebM made by ffmpeg is dropped on the
// page; every frame is read and inferred in the page (SwiftShader WebGPU), and no request carries it.
const skip =
  chromiumUnavailable() ??
  requireInCi('the Fashion-MNIST dataset (Debian dataset-fashion-mnist)', existsSync(T10K_IMAGES) || `${T10K_IMAGES} is missing`) ??
  requireInCi("Debian's ffmpeg", existsSync(FFMPEG) || `no ffmpeg at ${FFMPEG}`);
const scratch = mkdtempSync(join(tmpdir(), 'cvf-e2e-live-'));
/** Screenshots of each step, for a person to look at (not compared). */
const SCREENSHOTS = process.env.CVF_SCREENSHOTS ?? join(scratch, 'screenshots');
/** `CVF_UPDATE_README_FIGURES=1` writes the camera step's screenshot to docs/live.md's figure. */
const DOCS_FIGURE = join(repoRoot, 'docs/images/live-camera.png');

let server: StudioServer | undefined;
let browser: Browser | undefined;
let page: Page;
let camera: string;
let classes: string[] = [];
let bundleDir: string;
let requests: RecordedRequest[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (skip) return;
  const store = join(scratch, '.cvf');
  const dist = join(scratch, 'dist');
  const [trained] = await Promise.all([trainRegisteredBundle(store), buildStudio(dist)]);
  bundleDir = trained.bundle;
  classes = (JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as { classes: string[] }).classes;
  camera = await fakeCameraFile(scratch);
  server = await startStudioServer({ port: 0, host: '127.0.0.1', store, configs: join(repoRoot, 'configs'), dist, trainCommand: { command: process.execPath, args: [] }, log: () => {} });
  browser = await launchChromium(fakeCameraFlags(camera, { allow: true }));
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  requests = recordRequests(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto(new URL('/live', server.url).href);
  await page.locator('[data-testid=live-compute]:not([data-backend=""])').waitFor({ timeout: 60_000 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (!process.env.CVF_SCREENSHOTS) rmSync(scratch, { recursive: true, force: true });
});

/** Inference runs on SwiftShader: slow, so waits are long. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 60_000 });
const count = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-count'));
const chartPoints = async () => Number(await page.getByTestId('live-chart').getAttribute('data-points'));

it.skipIf(skip)('loads the newest registered model and says it runs on WebGPU', async () => {
  expect(await page.getByTestId('model-picker').inputValue()).toMatch(/^fashion-mnist@1#/);
  expect(await page.getByTestId('live-compute').getAttribute('data-backend')).toBe('webgpu');
  expect(await page.getByTestId('live-compute').textContent()).toMatch(/^WebGPU · ONNX Runtime wasm$/);
  expect(await page.getByTestId('live-privacy').textContent()).toContain('Nothing is uploaded');
  expect(await page.getByTestId('live-status').getAttribute('data-status')).toBe('idle');
});

it.skipIf(skip)("infers the fake camera's frames: a label, a growing frame count and rate, and a chart with points", async () => {
  await page.getByTestId('start-camera').click();
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('running');
  const shown = page.getByTestId('live-prediction');
  await shown.waitFor({ timeout: 60_000 });
  expect(classes).toContain(await shown.getAttribute('data-label'));
  const probability = Number(await shown.getAttribute('data-probability'));
  expect(probability).toBeGreaterThan(0);
  expect(probability).toBeLessThanOrEqual(1);
  // The fake device is listed, by name, once the camera was allowed.
  expect(await page.getByTestId('camera-picker').locator('option').allTextContents()).toEqual([expect.stringMatching(/fake/i)]);

  await poll(() => count('live-frames')).toBeGreaterThanOrEqual(3);
  const before = await count('live-frames');
  await poll(() => count('live-frames')).toBeGreaterThan(before);
  await poll(() => chartPoints()).toBeGreaterThanOrEqual(3);
  await poll(() => page.getByTestId('live-fps').textContent()).toMatch(/^\d+\.\d fps$/);
  expect(await page.getByTestId('live-reader').textContent()).toBe('WebCodecs VideoFrame');
  // The chart draws the points: uPlot's canvas is there, a legend entry per class.
  expect(await page.getByTestId('live-chart').locator('canvas').count()).toBe(1);
  expect(await page.getByTestId('live-chart').locator('.u-legend .u-series .u-label').allTextContents()).toEqual(expect.arrayContaining(classes));
  await page.screenshot({ path: process.env.CVF_UPDATE_README_FIGURES === '1' ? DOCS_FIGURE : join(SCREENSHOTS, '1-live-camera.png'), fullPage: true });
});

it.skipIf(skip)('space pauses and resumes the stream; Escape stops the camera', async () => {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('paused');
  expect(await page.getByTestId('pause').textContent()).toContain('Resume');
  await page.keyboard.press(' ');
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('running');
  const resumed = await count('live-frames');
  await poll(() => count('live-frames')).toBeGreaterThan(resumed);
  await page.keyboard.press('Escape');
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('idle');
  // The camera is let go of: the video element plays nothing.
  expect(await page.getByTestId('live-video').evaluate((v: HTMLVideoElement) => v.srcObject === null)).toBe(true);
});

it.skipIf(skip)('says so when the camera stops sending frames', async () => {
  await page.getByTestId('start-camera').click();
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('running');
  // What the browser does when the camera is unplugged: the track fires 'ended' (a page's own stop() fires nothing).
  await page.getByTestId('live-video').evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getVideoTracks()[0]!.dispatchEvent(new Event('ended')));
  await poll(() => page.getByTestId('live-error').textContent()).toMatch(/^The camera stopped sending frames/);
  expect(await page.getByTestId('live-status').getAttribute('data-status')).toBe('idle');
  expect(await page.getByTestId('live-video').evaluate((v: HTMLVideoElement) => v.srcObject === null)).toBe(true);
});

it.skipIf(skip)('infers a dropped video file to its end', async () => {
  const video = await droppedVideoFile(scratch);
  const base64 = readFileSync(video.path).toString('base64');
  await page.getByTestId('live-video').evaluate(
    (target, file) => {
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], file.name, { type: 'video/webm' }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name: video.name, base64 },
  );
  await poll(() => page.locator('.live-source-name').textContent()).toBe(video.name);
  await poll(() => count('live-frames')).toBeGreaterThanOrEqual(2);
  expect(classes).toContain(await page.getByTestId('live-prediction').getAttribute('data-label'));
  await page.screenshot({ path: join(SCREENSHOTS, '2-live-video-file.png') });
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('ended');
  expect(await page.getByTestId('pause').textContent()).toContain('Play again');
  expect(await chartPoints()).toBeGreaterThanOrEqual(2);
});

it.skipIf(skip)('on the CPU the badge says CPU / wasm and why, and frames are still inferred', async () => {
  await page.getByTestId('compute-preference').selectOption('cpu');
  await poll(() => page.getByTestId('live-compute').getAttribute('data-backend')).toBe('cpu');
  expect(await page.getByTestId('live-compute').textContent()).toBe('CPU / wasm · ONNX Runtime wasm — the CPU was chosen');
  await page.getByTestId('start-camera').click();
  await poll(() => count('live-frames')).toBeGreaterThanOrEqual(2);
  expect(classes).toContain(await page.getByTestId('live-prediction').getAttribute('data-label'));
  await page.screenshot({ path: join(SCREENSHOTS, '3-live-cpu.png') });
  await page.keyboard.press('Escape');
  await poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('idle');
});

it.skipIf(skip)('no request carries a frame: every request is a GET on the studio origin, without a body', async () => {
  const origin = new URL(server!.url).origin;
  const offending = requests.filter((r) => r.method !== 'GET' || r.body !== null || !(r.url.startsWith(origin) || r.url.startsWith('blob:') || r.url.startsWith('data:')));
  expect(offending.map((r) => `${r.method} ${r.url} (${r.body?.length ?? 0} bytes)`)).toEqual([]);
  // The page did fetch the model: the recorder saw the page's requests.
  expect(requests.some((r) => /\/api\/models\/fashion-mnist\/versions\/1\/bundle\/manifest\.json$/.test(r.url))).toBe(true);
  expect(pageErrors).toEqual([]);
});

it.skipIf(skip)('says in words that the model failed to load (a damaged bundle) and that the camera was refused', async () => {
  // One byte of the registered bundle's largest file flipped: its SHA-256 no longer matches the manifest.
  const files = (JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as { files: Record<string, { size: number }> }).files;
  const [largest] = Object.entries(files).sort((a, b) => b[1].size - a[1].size)[0]!;
  const path = join(bundleDir, largest);
  const intact = readFileSync(path);
  const damaged = Buffer.from(intact);
  const middle = damaged.length >> 1;
  damaged[middle] = damaged[middle]! ^ 0xff;
  writeFileSync(path, damaged);
  // A fresh browser: its bundle cache is empty, so the page downloads the damaged bundle; and no fake
  // permission prompt, so the camera is refused.
  const refusing = await launchChromium(fakeCameraFlags(camera, { allow: false }));
  try {
    const broken = await refusing.newPage({ viewport: { width: 1400, height: 900 } });
    await broken.goto(new URL('/live', server!.url).href);
    const modelError = broken.getByTestId('live-model-error');
    await modelError.waitFor({ timeout: 60_000 });
    expect(await modelError.textContent()).toMatch(/^The model fashion-mnist v1 failed to load, so no frame can be inferred: BUNDLE_CORRUPT: /);
    expect(await modelError.textContent()).toContain(largest);
    expect(await broken.getByTestId('live-compute').textContent()).toBe('no model: it failed to load');

    await broken.getByTestId('start-camera').click();
    await expect.poll(() => broken.getByTestId('live-error').textContent(), { timeout: 30_000 }).toMatch(/^The camera was refused: allow camera access/);
    expect(await broken.getByTestId('live-status').getAttribute('data-status')).toBe('idle');
    await broken.screenshot({ path: join(SCREENSHOTS, '4-live-errors.png') });
  } finally {
    await refusing.close();
    writeFileSync(path, intact);
  }
});
