import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KernelAgreement } from '@cvf/core';
import { KERNEL_CASES } from '@cvf/core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { serveFiles } from '../support/static-server.js';

const skip = chromiumUnavailable();
let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof serveFiles>> | undefined;

beforeAll(async () => {
  if (skip) return;
  // The page gets @cvf/core as the studio will: bundled for the browser from its sources, no Node modules.
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    write: false,
  });
  server = await serveFiles({
    '/index.html': { type: 'text/html', body: '<!doctype html><title>kernels</title><script type="module" src="/kernels.js"></script>' },
    '/kernels.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.contents },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it.skipIf(skip)('every kernel case table agrees with the CPU reference on the browser WebGPU adapter', async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server!.url);
  await page.waitForFunction(() => typeof window.runKernelChecks === 'function');
  const result = (await page.evaluate((seeds) => window.runKernelChecks(seeds), [11, 12])) as {
    backend: string;
    adapter: { vendor: string; architecture: string };
    kernels: KernelAgreement[];
  };
  expect(errors).toEqual([]);
  expect(result.backend).toBe('webgpu');
  console.log(`browser WebGPU adapter: ${JSON.stringify(result.adapter)}`);
  expect(result.kernels.map((k) => k.name).sort()).toEqual(KERNEL_CASES.map((c) => c.kernel.name).sort());
  for (const kernel of result.kernels) {
    expect(kernel.backends, kernel.name).toEqual(['cpu', 'webgpu']);
    expect(kernel.failures, kernel.name).toEqual([]);
  }
});
