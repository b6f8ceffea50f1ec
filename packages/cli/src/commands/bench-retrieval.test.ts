import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerBenchRetrieval, runBenchRetrieval } from './bench-retrieval.js';

const folder = await mkdtemp(join(tmpdir(), 'cvf-bench-retrieval-'));
afterAll(() => rm(folder, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const DIM = 12;
/** Seeded values (xorshift) so the test data is the same on every run. */
function rows(seed: number, n: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n * DIM }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  });
}
const base = join(folder, 'base.f32');
const queries = join(folder, 'queries.f32');
await writeFile(base, new Uint8Array(rows(3, 500).buffer));
await writeFile(queries, new Uint8Array(rows(4, 20).buffer));

async function cvf(...args: string[]): Promise<{ exitCode: number; stdout: string }> {
  const program = new Command('cvf').exitOverride();
  registerBenchRetrieval(program.command('bench'));
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.exitCode = 0;
  await program.parseAsync(['node', 'cvf', 'bench', 'retrieval', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { exitCode, stdout };
}

/** Exact top-k ids by float64 brute force (dot). */
function bruteForce(k: number): Int32Array {
  const b = rows(3, 500);
  const q = rows(4, 20);
  const out = new Int32Array(20 * k);
  for (let i = 0; i < 20; i++) {
    const scores = Array.from({ length: 500 }, (_, r) => {
      let s = 0;
      for (let j = 0; j < DIM; j++) s += q[i * DIM + j]! * b[r * DIM + j]!;
      return { r, s };
    }).sort((a, c) => c.s - a.s);
    for (let t = 0; t < k; t++) out[i * k + t] = scores[t]!.r;
  }
  return out;
}

describe('cvf bench retrieval', () => {
  it('prints the specified JSON and writes the top-k ids as int32 rows (flat: exact)', async () => {
    const out = join(folder, 'ids.i32');
    const { exitCode, stdout } = await cvf('--base', base, '--queries', queries, '--dim', String(DIM), '--k', '5', '--index', 'flat', '--threads', '1', '--out', out, '--json');
    expect(exitCode).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['index', 'n', 'dim', 'single', 'batch', 'recallAtK', 'buildSeconds', 'bytes']);
    expect(result).toMatchObject({ index: 'flat', n: 500, dim: DIM, recallAtK: 1 });
    expect(Object.keys(result.single)).toEqual(['qps', 'p50ms', 'p99ms']);
    expect(result.single.qps).toBeGreaterThan(0);
    expect(result.single.p99ms).toBeGreaterThanOrEqual(result.single.p50ms);
    expect(result.batch.qps).toBeGreaterThan(0);
    expect(result.bytes).toBeGreaterThanOrEqual(500 * DIM * 4);
    const bytes = await readFile(out);
    expect(bytes.byteLength).toBe(20 * 5 * 4);
    expect(new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(bruteForce(5));
  });

  it('measures recall of the approximate kinds against exact search', async () => {
    for (const index of ['flat-f16', 'flat-int8', 'hnsw'] as const) {
      const result = await runBenchRetrieval({ base, queries, dim: DIM, k: 10, index, threads: 1, metric: 'dot', efSearch: 100 });
      expect(result.index).toBe(index);
      expect(result.recallAtK, index).toBeGreaterThanOrEqual(0.9);
      expect(result.recallAtK, index).toBeLessThanOrEqual(1);
    }
    const exact = await runBenchRetrieval({ base, queries, dim: DIM, k: 10, index: 'flat-int8', threads: 1, metric: 'dot' });
    const lean = await runBenchRetrieval({ base, queries, dim: DIM, k: 10, index: 'flat-int8', threads: 1, metric: 'dot', rescoring: 'none' });
    expect(lean.recallAtK).toBeGreaterThanOrEqual(0.8);
    expect(lean.bytes).toBeLessThan(exact.bytes);
  });

  it('bad input exits 2 with {"error":{"code","message"}}', async () => {
    const missing = await cvf('--base', join(folder, 'none.f32'), '--queries', queries, '--dim', String(DIM), '--json');
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('FILE_UNREADABLE');
    const wrongDim = await cvf('--base', base, '--queries', queries, '--dim', '7', '--json');
    expect(JSON.parse(wrongDim.stdout).error).toMatchObject({ code: 'INDEX_DIMENSION_MISMATCH', message: expect.stringMatching(/7-value float32 rows/) });
    const kind = await cvf('--base', base, '--queries', queries, '--dim', String(DIM), '--index', 'ivf', '--json');
    expect(JSON.parse(kind.stdout).error).toMatchObject({ code: 'INDEX_INVALID_ARGUMENT', message: expect.stringMatching(/flat, flat-f16, flat-int8, hnsw/) });
    const threads = await cvf('--base', base, '--queries', queries, '--dim', String(DIM), '--index', 'hnsw', '--threads', '4', '--json');
    expect(threads.exitCode).toBe(2);
    expect(JSON.parse(threads.stdout).error.message).toMatch(/hnsw searches on 1 thread/);
  });

  it('--threads 2 searches the flat kinds on worker threads with the one-thread ids', async () => {
    for (const index of ['flat', 'flat-f16', 'flat-int8']) {
      const one = join(folder, `one-${index}.i32`);
      const two = join(folder, `two-${index}.i32`);
      expect((await cvf('--base', base, '--queries', queries, '--dim', String(DIM), '--index', index, '--threads', '1', '--out', one, '--json')).exitCode).toBe(0);
      const { exitCode, stdout } = await cvf('--base', base, '--queries', queries, '--dim', String(DIM), '--index', index, '--threads', '2', '--out', two, '--json');
      expect(exitCode).toBe(0);
      expect(JSON.parse(stdout).index).toBe(index);
      expect(await readFile(two)).toEqual(await readFile(one));
    }
  });
});
