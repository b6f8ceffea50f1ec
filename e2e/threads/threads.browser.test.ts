import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { filesOf, serveFiles } from '../support/static-server.js';

// The browser scan pool as the studio ships it: the page is bundled by Vite with the studio's own
// configuration (so the pool's `new URL('./scan-pool.worker.js', import.meta.url)` worker is
// emitted as the studio emits it), served cross-origin isolated, and searched in Chromium.
const skip = chromiumUnavailable();
const STUDIO_VITE_CONFIG = fileURLToPath(new URL('../../apps/studio/vite.config.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'cvf-e2e-threads-'));
let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof serveFiles>> | undefined;

beforeAll(async () => {
  if (skip) return;
  await build({
    configFile: STUDIO_VITE_CONFIG,
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, rolldownOptions: { input: fileURLToPath(new URL('./browser-entry.ts', import.meta.url)), output: { entryFileNames: 'main.js' } } },
  });
  server = await serveFiles({ ...filesOf(out), '/index.html': { type: 'text/html', body: '<!doctype html><title>threads</title><script type="module" src="/main.js"></script>' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

it.skipIf(skip)('flat kinds searched by Web Workers over shared memory give the one-thread hits, and every worker answers', async () => {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server!.url);
  await page.waitForFunction(() => typeof window.runThreadChecks === 'function');
  const result = (await page.evaluate(() => window.runThreadChecks())) as {
    crossOriginIsolated: boolean;
    threads: number;
    reason: string | null;
    oneThread: { pool: unknown; reason: string };
    checks: { kind: string; metric: string; threads: number; hits: number; batched: string | null; single: string | null }[];
    answered: number[];
  };
  expect(errors).toEqual([]);
  expect(result.crossOriginIsolated).toBe(true);
  expect(result.reason).toBeNull();
  expect(result.threads).toBe(3);
  expect(result.oneThread).toEqual({ pool: null, reason: 'one thread was asked' });
  expect(result.checks.map((c) => `${c.kind}/${c.metric}`)).toEqual(['flat/cosine', 'flat/l2', 'flat-f16/cosine', 'flat-f16/l2', 'flat-int8/cosine', 'flat-int8/l2']);
  for (const check of result.checks) {
    const name = `${check.kind}/${check.metric}`;
    expect(check.threads, name).toBe(3);
    expect(check.hits, name).toBe(10);
    expect(check.batched, `${name} batched`).toBeNull();
    expect(check.single, `${name} single`).toBeNull();
  }
  // Two workers, each given a share of every one of the 6 batched and 18 single-query searches.
  expect(result.answered).toEqual([24, 24]);
});
