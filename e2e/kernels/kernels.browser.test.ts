import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KernelAgreement } from '@cvf/core';
import { KERNEL_CASES } from '@cvf/core';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';

const skip = chromiumUnavailable();
let opened: BundledPage | undefined;

beforeAll(async () => {
  if (!skip) opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), { ready: 'runKernelChecks', title: 'kernels' });
});
afterAll(() => opened?.close());

it.skipIf(skip)('every kernel case table agrees with the CPU reference on the browser WebGPU adapter', async () => {
  const { page } = opened!;
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
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
