import { readFile, writeFile } from 'node:fs/promises';
import { createIndex, FileError, FlatIndex, FlatIndexBase, IndexError, INDEX_KINDS, INT8_RESCORINGS, recallAtK, type Int8Rescoring, VECTOR_METRICS, type IndexKind, type ScanPool, type SearchHit, type SearchOptions, type VectorIndex, type VectorMetric } from '@cvf/core';
import { createScanPool, searchThreads } from '@cvf/core/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

export interface BenchRetrievalOptions {
  /** Raw little-endian float32 base vectors, row-major. */
  readonly base: string;
  /** Raw little-endian float32 queries, row-major. */
  readonly queries: string;
  readonly dim: number;
  readonly k: number;
  readonly index: IndexKind;
  /** Search threads: flat kinds search on worker threads over shared memory when > 1; hnsw searches on one. */
  readonly threads: number;
  readonly metric: VectorMetric;
  /** Writes the batch's top-k ids of every query as int32, row-major (queries × k; −1 = none). */
  readonly out?: string | undefined;
  /** hnsw parameters and the int8 rescoring pool (defaults of the index kinds when omitted). */
  readonly M?: number | undefined;
  readonly efConstruction?: number | undefined;
  readonly efSearch?: number | undefined;
  readonly rescore?: number | undefined;
  /** flat-int8: `exact` (default) rescoring with the f32 originals, or `none` (codes only). */
  readonly rescoring?: Int8Rescoring | undefined;
  /** Timed passes over the queries; the fastest counts (shared machines are noisy). Default 1. */
  readonly repeat?: number | undefined;
}

/** The JSON the command prints, as the retrieval benchmark issue specifies it. */
export interface BenchRetrievalResult {
  readonly index: IndexKind;
  readonly n: number;
  readonly dim: number;
  /** One query per search call, each timed. */
  readonly single: { readonly qps: number; readonly p50ms: number; readonly p99ms: number };
  /** All queries in one searchBatch call. */
  readonly batch: { readonly qps: number };
  /** Mean share of the exact flat f32 top-k found by the batch search. */
  readonly recallAtK: number;
  readonly buildSeconds: number;
  /** The index's memory estimate (bytes). */
  readonly bytes: number;
}

async function readRows(path: string, flag: string, dim: number): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new FileError(`cannot read ${flag} ${path}: ${(cause as Error).message}`, { cause });
  }
  if (bytes.byteLength === 0 || bytes.byteLength % (4 * dim) !== 0) {
    throw new IndexError('INDEX_DIMENSION_MISMATCH', `${flag} ${path} has ${bytes.byteLength} bytes, not a whole number of ${dim}-value float32 rows (${4 * dim} bytes each)`);
  }
  // A copy aligned for Float32Array (pooled Buffers start anywhere); little-endian hosts assumed.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Times an index: a warm-up (JIT and WebAssembly tier-up), every query searched and timed on its
 * own, then all queries in one searchBatch call (whose hits are returned).
 */
export function timeSearches(
  index: VectorIndex,
  queries: Float32Array,
  dim: number,
  options: SearchOptions & { efSearch?: number },
  repeat = 1,
): { single: BenchRetrievalResult['single']; batch: BenchRetrievalResult['batch']; hits: SearchHit[][] } {
  const m = queries.length / dim;
  const warm = Math.min(m, 50);
  for (let q = 0; q < warm; q++) index.search(queries.subarray(q * dim, (q + 1) * dim), options);
  index.searchBatch(queries.subarray(0, warm * dim), options);
  let single: BenchRetrievalResult['single'] = { qps: 0, p50ms: Infinity, p99ms: Infinity };
  let batch = { qps: 0 };
  let hits: SearchHit[][] = [];
  for (let pass = 0; pass < Math.max(1, repeat); pass++) {
    const latencies = new Float64Array(m);
    const singleStart = performance.now();
    for (let q = 0; q < m; q++) {
      const start = performance.now();
      index.search(queries.subarray(q * dim, (q + 1) * dim), options);
      latencies[q] = performance.now() - start;
    }
    const singleSeconds = (performance.now() - singleStart) / 1000;
    latencies.sort();
    if (m / singleSeconds > single.qps) single = { qps: m / singleSeconds, p50ms: percentile(latencies, 0.5), p99ms: percentile(latencies, 0.99) };
    const batchStart = performance.now();
    hits = index.searchBatch(queries, options);
    batch = { qps: Math.max(batch.qps, m / ((performance.now() - batchStart) / 1000)) };
  }
  return { single, batch, hits };
}

/** timeSearches with searchParallel/searchBatchParallel: a flat index on its pool's threads. */
export async function timeParallelSearches(
  index: FlatIndexBase,
  queries: Float32Array,
  dim: number,
  options: SearchOptions,
  repeat = 1,
): Promise<{ single: BenchRetrievalResult['single']; batch: BenchRetrievalResult['batch']; hits: SearchHit[][] }> {
  const m = queries.length / dim;
  const warm = Math.min(m, 50);
  for (let q = 0; q < warm; q++) await index.searchParallel(queries.subarray(q * dim, (q + 1) * dim), options);
  await index.searchBatchParallel(queries.subarray(0, warm * dim), options);
  let single: BenchRetrievalResult['single'] = { qps: 0, p50ms: Infinity, p99ms: Infinity };
  let batch = { qps: 0 };
  let hits: SearchHit[][] = [];
  for (let pass = 0; pass < Math.max(1, repeat); pass++) {
    const latencies = new Float64Array(m);
    const singleStart = performance.now();
    for (let q = 0; q < m; q++) {
      const start = performance.now();
      await index.searchParallel(queries.subarray(q * dim, (q + 1) * dim), options);
      latencies[q] = performance.now() - start;
    }
    const singleSeconds = (performance.now() - singleStart) / 1000;
    latencies.sort();
    if (m / singleSeconds > single.qps) single = { qps: m / singleSeconds, p50ms: percentile(latencies, 0.5), p99ms: percentile(latencies, 0.99) };
    const batchStart = performance.now();
    hits = await index.searchBatchParallel(queries, options);
    batch = { qps: Math.max(batch.qps, m / ((performance.now() - batchStart) / 1000)) };
  }
  return { single, batch, hits };
}

/** Builds the index over the base file, times single and batched searches, and measures recall@k. */
export async function runBenchRetrieval(options: BenchRetrievalOptions): Promise<BenchRetrievalResult> {
  const { dim } = options;
  if (options.threads !== 1 && options.index === 'hnsw') throw new IndexError('INDEX_INVALID_ARGUMENT', `--threads ${options.threads}: hnsw searches on 1 thread in this build (flat, flat-f16 and flat-int8 take --threads)`);
  const base = await readRows(options.base, '--base', dim);
  const queries = await readRows(options.queries, '--queries', dim);

  const pool: ScanPool | undefined = options.threads > 1 ? await createScanPool(options.threads) : undefined;
  try {
    return await benchIndex(options, base, queries, pool);
  } finally {
    await pool?.close();
  }
}

async function benchIndex(options: BenchRetrievalOptions, base: Float32Array, queries: Float32Array, pool: ScanPool | undefined): Promise<BenchRetrievalResult> {
  const { dim, k } = options;
  const n = base.length / dim;
  const m = queries.length / dim;
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const index = await createIndex({
    kind: options.index,
    ...(pool ? { pool } : {}),
    dim,
    metric: options.metric,
    ...(options.M !== undefined ? { M: options.M } : {}),
    ...(options.efConstruction !== undefined ? { efConstruction: options.efConstruction } : {}),
    ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
    ...(options.rescore !== undefined ? { rescore: options.rescore } : {}),
    ...(options.rescoring !== undefined ? { rescoring: options.rescoring } : {}),
  });
  const buildStart = performance.now();
  index.addBatch(ids, base);
  const buildSeconds = (performance.now() - buildStart) / 1000;

  const { single, batch, hits } =
    pool && index instanceof FlatIndexBase ? await timeParallelSearches(index, queries, dim, { k }, options.repeat ?? 1) : timeSearches(index, queries, dim, { k }, options.repeat ?? 1);

  // The reference is an exact f32 index that scores every dimension (no bound), built apart.
  const exact = await FlatIndex.create({ dim, metric: options.metric, scan: 'full' });
  exact.addBatch(ids, base);
  const truth = exact.searchBatch(queries, { k });

  if (options.out !== undefined) {
    const out = new Int32Array(m * k).fill(-1);
    hits.forEach((list, q) => list.forEach((h, r) => (out[q * k + r] = h.id)));
    try {
      await writeFile(options.out, new Uint8Array(out.buffer));
    } catch (cause) {
      throw new FileError(`cannot write --out ${options.out}: ${(cause as Error).message}`, { cause });
    }
  }
  return {
    index: options.index,
    n,
    dim,
    single,
    batch,
    recallAtK: recallAtK(hits, truth),
    buildSeconds,
    bytes: index.memory().total,
  };
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new IndexError('INDEX_INVALID_ARGUMENT', `${flag} "${value}" must be an integer ≥ ${min}`);
  return n;
}

function oneOf<T extends string>(value: string, flag: string, options: readonly T[]): T {
  if (!(options as readonly string[]).includes(value)) throw new IndexError('INDEX_INVALID_ARGUMENT', `${flag} "${value}" is not one of ${options.join(', ')}`);
  return value as T;
}

interface RawOptions {
  base: string;
  queries: string;
  dim: string;
  k: string;
  index: string;
  threads: string;
  metric: string;
  out?: string;
  m?: string;
  efConstruction?: string;
  efSearch?: string;
  rescore?: string;
  rescoring?: string;
  repeat: string;
  json?: boolean;
}

/**
 * `cvf bench retrieval --base F --queries F --dim D --k K --index flat|flat-f16|flat-int8|hnsw
 * --threads T [--out IDS] [--json]`: builds the index over F (raw float32, row-major), times
 * single and batched searches and prints
 * `{"index","n","dim","single":{"qps","p50ms","p99ms"},"batch":{"qps"},"recallAtK","buildSeconds","bytes"}`
 * (recall against exact flat f32). Bad arguments or files exit 2 with `{"error":{"code","message"}}`.
 */
export function registerBenchRetrieval(bench: Command): void {
  bench
    .command('retrieval')
    .description('build a vector index over a raw float32 file, time single and batched top-k searches, and measure recall@k against exact search')
    .requiredOption('--base <file>', 'base vectors: raw little-endian float32, row-major')
    .requiredOption('--queries <file>', 'query vectors: raw little-endian float32, row-major')
    .requiredOption('--dim <d>', 'values per vector')
    .option('--k <k>', 'neighbours per query', '10')
    .option('--index <kind>', `index kind: ${INDEX_KINDS.join(', ')}`, 'flat')
    .option('--threads <t>', 'search threads (flat kinds; hnsw searches on 1); 0: one per core, at most 8', '1')
    .option('--metric <metric>', `similarity: ${VECTOR_METRICS.join(', ')}`, 'dot')
    .option('--out <file>', 'write the top-k ids of every query as int32, row-major (queries × k)')
    .option('--m <links>', 'hnsw: links per node (default 16)')
    .option('--ef-construction <n>', 'hnsw: candidate list while inserting (default 200)')
    .option('--ef-search <n>', 'hnsw: candidate list while searching (default 64)')
    .option('--rescore <n>', 'flat-int8: candidates rescored exactly (default max(4k, 40))')
    .option('--rescoring <mode>', `flat-int8: ${INT8_RESCORINGS.join(' | ')} (none keeps no f32 originals)`)
    .option('--repeat <n>', 'timed passes over the queries; the fastest counts', '1')
    .option('--json', 'print the result (or {"error":{"code","message"}}) as JSON')
    .action((raw: RawOptions) =>
      runAction(
        raw.json === true,
        async () => {
          const result = await runBenchRetrieval({
            base: raw.base,
            queries: raw.queries,
            dim: integer(raw.dim, '--dim', 1)!,
            k: integer(raw.k, '--k', 1)!,
            index: oneOf(raw.index, '--index', INDEX_KINDS),
            threads: searchThreads(integer(raw.threads, '--threads', 0)!),
            metric: oneOf(raw.metric, '--metric', VECTOR_METRICS),
            out: raw.out,
            M: integer(raw.m, '--m', 2),
            efConstruction: integer(raw.efConstruction, '--ef-construction', 1),
            efSearch: integer(raw.efSearch, '--ef-search', 1),
            rescore: integer(raw.rescore, '--rescore', 1),
            rescoring: raw.rescoring === undefined ? undefined : oneOf(raw.rescoring, '--rescoring', INT8_RESCORINGS),
            repeat: integer(raw.repeat, '--repeat', 1),
          });
          if (raw.json) printJson(result);
          else {
            process.stdout.write(
              [
                `${result.index}: ${result.n} vectors of dim ${result.dim}, built in ${result.buildSeconds.toFixed(2)} s, ${(result.bytes / 2 ** 20).toFixed(1)} MiB`,
                `single: ${result.single.qps.toFixed(0)} queries/s (p50 ${result.single.p50ms.toFixed(3)} ms, p99 ${result.single.p99ms.toFixed(3)} ms)`,
                `batch:  ${result.batch.qps.toFixed(0)} queries/s`,
                `recall@k: ${result.recallAtK.toFixed(4)}`,
              ].join('\n') + '\n',
            );
          }
          return EXIT.ok;
        },
        EXIT.badInput,
      ),
    );
}
