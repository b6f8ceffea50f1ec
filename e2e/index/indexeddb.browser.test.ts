import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';

const skip = chromiumUnavailable();
let opened: BundledPage | undefined;

beforeAll(async () => {
  if (!skip) opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), { ready: 'runIndexedDbChecks', title: 'indexeddb' });
});
afterAll(() => opened?.close());

it.skipIf(skip)('indexes persist to IndexedDB in chunks, load back identical, and damaged chunks are refused', async () => {
  const { page } = opened!;
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const result = (await page.evaluate(() => window.runIndexedDbChecks())) as {
    simd: boolean;
    backend: string;
    kinds: Record<string, { chunks: number; size: number; same: boolean; hits: number }>;
    listed: string[];
    corrupt: { name: string; code: string; message: string } | null;
    missingChunk: { code: string; message: string } | null;
    missing: { code: string; message: string } | null;
    deleted: boolean;
    afterDelete: string[];
  };
  expect(errors).toEqual([]);
  // The browser runs the same WebAssembly SIMD kernels as Node.
  expect(result.simd).toBe(true);
  expect(result.backend).toBe('wasm-simd');
  expect(Object.keys(result.kinds).sort()).toEqual(['flat', 'flat-f16', 'flat-int8', 'hnsw']);
  for (const [kind, k] of Object.entries(result.kinds)) {
    expect(k.chunks, kind).toBeGreaterThan(2);
    expect(k.size, kind).toBe(1499);
    expect(k.same, kind).toBe(true);
    expect(k.hits, kind).toBe(8);
  }
  expect(result.listed).toEqual(['flat', 'flat-f16', 'flat-int8', 'hnsw']);
  expect(result.corrupt).toMatchObject({ name: 'IndexError', code: 'INDEX_CORRUPT', message: expect.stringMatching(/checksum mismatch/) });
  expect(result.missingChunk).toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/chunk 1 is missing/) });
  expect(result.missing).toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(/no index named "nope"/) });
  expect(result.deleted).toBe(true);
  expect(result.afterDelete).toEqual(['flat', 'flat-int8', 'hnsw']);
});
