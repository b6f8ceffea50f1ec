import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createWebScanPool, webSearchThreads, webThreadsUnavailable } from './web-scan-pool.js';
import { searchThreadsFor } from '../threads/worker-scan-pool.js';

// A context without Web Workers: the browser pool must say so and fall back to one thread rather
// than fail. Its workers are tested in Chromium (e2e/threads). Node has no Worker global of its
// own, but onnxruntime-web's Emscripten glue sets one (worker_threads') when loaded, and the files
// of this folder share a process: the test removes it while it runs.
beforeEach(() => {
  vi.stubGlobal('Worker', undefined);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

it('without Web Workers the browser pool falls back to one thread with the reason', async () => {
  expect(webThreadsUnavailable()).toBe('this context has no Web Workers');
  expect(await webSearchThreads(4)).toEqual({ pool: null, threads: 1, reason: 'this context has no Web Workers' });
  expect(await webSearchThreads(1)).toEqual({ pool: null, threads: 1, reason: 'one thread was asked' });
  await expect(createWebScanPool(2)).rejects.toMatchObject({ code: 'INDEX_INVALID_ARGUMENT', message: expect.stringMatching(/2 search threads need shared memory, but this context has no Web Workers/) });
  await expect(createWebScanPool(0)).rejects.toThrow(/threads = 0 must be an integer ≥ 1/);
  const alone = await createWebScanPool(1);
  expect(alone.threads).toBe(1);
  expect(alone.answered()).toEqual([]);
  // A page's pool: an HNSW build never runs inserts on the calling thread (it may not wait on a lock).
  expect(alone.callerMayWait).toBe(false);
  await expect(alone.run({} as never, 0)).rejects.toThrow(/worker 0 is not one of 0..-1/);
});

it('a configured thread count: 0 is one per core, at most 8', () => {
  expect(searchThreadsFor(0, 2)).toBe(2);
  expect(searchThreadsFor(0, 32)).toBe(8);
  expect(searchThreadsFor(0, 0)).toBe(1);
  expect(searchThreadsFor(3, 2)).toBe(3);
  expect(() => searchThreadsFor(-1, 4)).toThrow(/threads = -1 must be an integer ≥ 0/);
  expect(() => searchThreadsFor(1.5, 4)).toThrow(/must be an integer ≥ 0/);
});
