import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KERNEL_CASES } from '@cvf/core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { startTestStudio, STUDIO_DIST, type TestStudio } from './test-studio.js';

// The studio as built by scripts/setup.sh (vite build), served by the real studio server.
// Pages settle in seconds on a busy CI machine, not in expect.poll's default second.
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });
const skip = chromiumUnavailable();
let browser: Browser | undefined;
let studio: TestStudio | undefined;

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(STUDIO_DIST)) throw new Error(`no studio build at ${STUDIO_DIST}: run scripts/setup.sh (or npm run build)`);
  studio = await startTestStudio({});
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
});

it.skipIf(skip)('the compute badge names the WebGPU adapter, and its kernel check agrees with the CPU', async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${studio!.base}/runs`);
  const badge = page.getByTestId('compute-badge');
  await poll(() => badge.textContent()).toMatch(/^WebGPU/);
  // The badge opens the device page and its kernel check.
  await badge.click();
  await poll(() => page.getByTestId('backend').textContent()).toBe('webgpu');
  expect(await page.getByTestId('adapter').textContent()).toMatch(/swiftshader|google/i);
  await page.getByRole('button', { name: 'Check kernels' }).click();
  // SwiftShader compiles every kernel's pipelines on the CPU: beside another browser test (two test
  // workers) on a busy 2-core box that took over a minute.
  await page.getByTestId('kernel-summary').filter({ hasText: /agree|disagree/ }).waitFor({ timeout: 110_000 });
  expect(await page.getByTestId('kernel-summary').textContent()).toBe(`all ${KERNEL_CASES.length} kernels agree with the CPU reference`);
  expect(errors).toEqual([]);
});
