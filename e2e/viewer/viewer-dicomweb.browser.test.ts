import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DicomwebClient } from '@cvf/medical';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '@cvf/medical/node';
import { startStudioServer, type StudioServer } from '@cvf/studio/server';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { buildStudio, ctSeries, repoRoot } from './viewer-fixtures.js';

// The viewer opening a series from a real PACS (Orthanc) through the studio's DICOMweb proxy:
// listed with QIDO-RS, fetched with WADO-RS, decoded and windowed in the page.
const skip = chromiumUnavailable() ?? orthancUnavailable();
const scratch = mkdtempSync(join(tmpdir(), 'cvf-e2e-viewer-dicomweb-'));
let orthanc: OrthancServer | undefined;
let server: StudioServer | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  if (skip) return;
  const dist = join(scratch, 'dist');
  [orthanc] = await Promise.all([startOrthanc(), buildStudio(dist)]);
  const stored = await new DicomwebClient({ url: orthanc.dicomWebUrl }).storeInstances(ctSeries(3, 64).map((f) => new Uint8Array(f.buffer)));
  expect(stored.failed).toEqual([]);
  server = await startStudioServer({ port: 0, host: '127.0.0.1', store: join(scratch, '.cvf'), configs: join(repoRoot, 'configs'), dist, dicomweb: orthanc.dicomWebUrl, trainCommand: { command: process.execPath, args: [] }, log: () => {} });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(new URL('/viewer', server.url).href);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await orthanc?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it.skipIf(skip)('lists the PACS studies, opens a series from it, and scrolls and windows it in the page', async () => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.getByTestId('dicomweb-studies').click();
  await expect.poll(() => page.getByTestId('dicomweb-study').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.getByTestId('dicomweb-study').textContent()).toContain('CT');
  await page.getByTestId('dicomweb-study').click();
  await page.getByTestId('dicomweb-series').click();
  await expect.poll(() => page.getByTestId('dicom-canvas').getAttribute('data-rendered'), { timeout: 30_000 }).not.toBe('');
  expect(await page.getByTestId('overlay-slice').textContent()).toBe('image 1 / 3');
  expect(await page.getByTestId('overlay-size').textContent()).toContain('64 × 64 · 16 bit');
  await page.getByTestId('window-preset').selectOption('lung');
  await expect.poll(() => page.getByTestId('overlay-window').textContent(), { timeout: 30_000 }).toBe('W 1500 L -600 (lung)');
  await page.getByTestId('dicom-canvas').focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.getByTestId('overlay-slice').textContent()).toBe('image 2 / 3');
  expect(errors).toEqual([]);
});
