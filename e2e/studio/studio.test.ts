import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KERNEL_CASES } from '@cvf/core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { filesOf, serveFiles } from '../support/static-server.js';

// The studio as built by scripts/setup.sh (vite build), served as static files.
const dist = fileURLToPath(new URL('../../apps/studio/dist', import.meta.url));
const skip = chromiumUnavailable();
let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof serveFiles>> | undefined;

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(dist)) throw new Error(`no studio build at ${dist}: run scripts/setup.sh (or npm run build)`);
  server = await serveFiles(filesOf(dist));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it.skipIf(skip)('the studio finds the WebGPU adapter and its kernel check agrees with the CPU', async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server!.url);
  await expect.poll(() => page.getByTestId('backend').textContent()).toBe('webgpu');
  expect(await page.getByTestId('adapter').textContent()).toMatch(/swiftshader|google/i);
  await page.getByRole('button', { name: 'Check kernels' }).click();
  await page.getByTestId('kernel-summary').filter({ hasText: /agree|disagree/ }).waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('kernel-summary').textContent()).toBe(`all ${KERNEL_CASES.length} kernels agree with the CPU reference`);
  expect(errors).toEqual([]);
});
