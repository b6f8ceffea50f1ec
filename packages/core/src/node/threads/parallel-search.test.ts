import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmSimdSupported } from '../../compute/wasm/backend.js';
import { loadIndexStage, saveIndexStage } from '../../bundle/kinds/case-index.js';
import { IndexError } from '../../errors.js';
import { createIndex } from '../../index/create-index.js';
import { FlatF16Index } from '../../index/flat/flat-f16-index.js';
import { FlatIndex } from '../../index/flat/flat-index.js';
import type { FlatIndexBase } from '../../index/flat/flat-base.js';
import { scanShares } from '../../index/flat/parallel-scan.js';
import { deserializeIndex, serializeIndex } from '../../index/persist/index-persistence.js';
import { DenseRetriever } from '../../retrieval/dense-retriever.js';
import { clusteredVectors } from '../../index/testing/vectors.js';
import type { ScanPool } from '../../index/threads/scan-pool.js';
import type { WorkerScanPool } from '../../index/threads/worker-scan-pool.js';
import type { MetadataFilter } from '../../index/filter.js';
import type { IndexKind, SearchOptions, VectorMetric } from '../../index/types.js';
import { createScanPool, defaultThreads, searchThreads } from './thread-pool.js';

// Worker threads over the index's SharedArrayBuffer must return what one thread returns: same ids,
// same scores, same order — with filters, deletions and exact ties split across threads' shares.
const DIM = 37; // not a multiple of 4 or 8: padded panels and pairs
const N = 2100; // > 64 panels, so the probe seeds the thresholds as it does on one thread
const M = 11; // two blocks of four and three singles between the threads
const K = 10;
const base = clusteredVectors(11, N, DIM, { decay: 0.08 }); // PCA-like: the f32 index takes its bounded scan
// Exact duplicates of the first 40 rows at the end: equal scores in different threads' shares.
const vectors = new Float32Array((N + 40) * DIM);
vectors.set(base);
vectors.set(base.subarray(0, 40 * DIM), N * DIM);
const rows = N + 40;
const ids = Int32Array.from({ length: rows }, (_, i) => 7 + 5 * i);
const metadata = Array.from({ length: rows }, (_, i) => ({ group: ['a', 'b', 'c'][i % 3]!, rank: i % 17 }));
const queries = clusteredVectors(12, M, DIM, { decay: 0.08 });
// Query 0 is a stored vector with a duplicate: its top hits tie exactly.
queries.set(base.subarray(3 * DIM, 4 * DIM), 0);
const kinds: IndexKind[] = ['flat', 'flat-f16', 'flat-int8'];
const metrics: VectorMetric[] = ['dot', 'cosine', 'l2'];
const filters: (MetadataFilter | undefined)[] = [undefined, { group: { in: ['a', 'c'] } }, { rank: { lt: 2 } }];

// splitRowsFrom 0: single queries split this small index's rows too, so that path is what runs.
async function filled(kind: IndexKind, metric: VectorMetric, pool?: ScanPool, splitRowsFrom = 0): Promise<FlatIndexBase> {
  const index = (await createIndex({ kind, dim: DIM, metric, splitRowsFrom, ...(pool ? { pool } : {}) })) as unknown as FlatIndexBase;
  index.addBatch(ids, vectors, metadata);
  for (const id of [ids[5]!, ids[900]!, ids[rows - 1]!]) index.delete(id); // moved slots
  return index;
}

describe.skipIf(!wasmSimdSupported())('flat search on worker threads over shared memory', () => {
  let pools: WorkerScanPool[] = [];
  beforeAll(async () => {
    pools = [await createScanPool(2), await createScanPool(3)];
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  for (const kind of kinds) {
    for (const metric of metrics) {
      it(`${kind} (${metric}): batched and single-query hits on 2 and 3 threads equal one thread's, with filters`, async () => {
        const one = await filled(kind, metric);
        for (const pool of pools) {
          const before = pool.answered();
          const many = await filled(kind, metric, pool);
          expect(many.threads).toBe(pool.threads);
          for (const filter of filters) {
            const options: SearchOptions = { k: K, ...(filter ? { filter } : {}) };
            const want = one.searchBatch(queries, options);
            expect(want[0]!.length).toBe(K);
            expect(await many.searchBatchParallel(queries, options)).toEqual(want);
            for (let q = 0; q < M; q += 2) {
              expect(await many.searchParallel(queries.subarray(q * DIM, (q + 1) * DIM), options)).toEqual(want[q]);
            }
            // Fewer queries than threads: the rows are split instead.
            expect(await many.searchBatchParallel(queries.subarray(0, 2 * DIM), options)).toEqual(want.slice(0, 2));
          }
          // Every worker answered its shares: the threads really ran.
          expect(pool.answered().map((n, w) => n > before[w]!)).toEqual(Array.from({ length: pool.threads - 1 }, () => true));
        }
      });
    }
  }

  it('ties split across threads come back in id order as on one thread', async () => {
    const pool = pools[1]!;
    const one = await filled('flat', 'l2');
    const many = await filled('flat', 'l2', pool);
    const query = queries.subarray(0, DIM);
    const hits = await many.searchParallel(query, { k: 4 });
    // Row 3 and its duplicate (row N + 3) are both at distance 0; the lower id ranks first.
    expect(hits.slice(0, 2).map((h) => h.id)).toEqual([ids[3]!, ids[N + 3]!]);
    expect(hits[0]!.score).toBe(hits[1]!.score);
    expect(hits).toEqual(one.search(query, { k: 4 }));
  });

  it('the f32 and f16 indexes take their bounded scans here, so the bounded kernels are what ran on the threads', async () => {
    const f32 = (await filled('flat', 'l2', pools[0])) as unknown as FlatIndex;
    expect(f32).toBeInstanceOf(FlatIndex);
    expect(f32.bounded).toBe(true);
    const f16 = (await filled('flat-f16', 'l2', pools[0])) as unknown as FlatF16Index;
    expect(f16).toBeInstanceOf(FlatF16Index);
    expect(f16.bounded).toBe(true);
  });

  it('refuses a change while a parallel search holds the memory, and accepts it after', async () => {
    const many = await filled('flat-int8', 'dot', pools[0]);
    const running = many.searchBatchParallel(queries, { k: K });
    let error: unknown;
    try {
      many.add(1, new Float32Array(DIM).fill(0.5));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IndexError);
    expect((error as IndexError).code).toBe('INDEX_INVALID_ARGUMENT');
    await running;
    many.add(1, new Float32Array(DIM).fill(0.5));
    expect(many.has(1)).toBe(true);
  });

  it('a single query on an index below splitRowsFrom runs on the calling thread; a batch still splits', async () => {
    const one = await filled('flat', 'dot');
    const many = await filled('flat', 'dot', pools[0], rows * DIM + 1);
    const query = queries.subarray(DIM, 2 * DIM);
    const single = many.searchParallel(query, { k: K });
    many.add(3, query); // accepted: no worker holds the memory
    expect(await single).toEqual(one.search(query, { k: K }));
    one.add(3, query);
    const batch = many.searchBatchParallel(queries, { k: K });
    expect(() => many.add(4, query)).toThrow(IndexError); // the workers hold it
    expect(await batch).toEqual(one.searchBatch(queries, { k: K }));
  });

  it('parallel searches started together run one after another, each with its own hits', async () => {
    const one = await filled('flat', 'cosine');
    const many = await filled('flat', 'cosine', pools[0]);
    const a = queries.subarray(0, 6 * DIM);
    const b = queries.subarray(5 * DIM);
    const [hitsA, hitsB, single] = await Promise.all([many.searchBatchParallel(a, { k: K }), many.searchBatchParallel(b, { k: 3 }), many.searchParallel(queries.subarray(0, DIM), { k: 2 })]);
    expect(hitsA).toEqual(one.searchBatch(a, { k: K }));
    expect(hitsB).toEqual(one.searchBatch(b, { k: 3 }));
    expect(single).toEqual(one.search(queries.subarray(0, DIM), { k: 2 }));
  });

  it('a dense retriever over an index with a pool retrieves on the threads, with the same hits', async () => {
    const one = new DenseRetriever(await filled('flat-f16', 'dot'));
    const many = new DenseRetriever(await filled('flat-f16', 'dot', pools[0]));
    const filter = { group: 'b' };
    expect(await many.retrieveBatch(queries, { k: K, filter })).toEqual(await one.retrieveBatch(queries, { k: K, filter }));
  });

  it('an index loaded from its bytes with a pool searches on the threads, with the same hits', async () => {
    const one = await filled('flat-int8', 'l2');
    const loaded = (await deserializeIndex(serializeIndex(one), { pool: pools[1]! })) as FlatIndexBase;
    expect(loaded.threads).toBe(3);
    expect(await loaded.searchBatchParallel(queries, { k: K })).toEqual(one.searchBatch(queries, { k: K }));
  });

  it('a case-index stage loaded with a pool (the predictor context scanPool) searches on the threads, with the same hits', async () => {
    const one = await filled('flat', 'cosine');
    const { stage, files } = saveIndexStage(one, { ids: Array.from(ids, String), labels: Array.from(ids, (_, i) => 'abc'[i % 3]!) }, { kind: 'flat', metric: 'cosine', k: K });
    const bytes = { index: files.get(stage.files.index)!, cases: files.get(stage.files.cases)! };
    const loaded = (await loadIndexStage(stage, bytes, undefined, pools[0])).index as FlatIndexBase;
    expect(loaded.threads).toBe(2);
    expect(await loaded.searchBatchParallel(queries, { k: K })).toEqual(one.searchBatch(queries, { k: K }));
    expect(((await loadIndexStage(stage, bytes)).index as FlatIndexBase).threads).toBe(1);
  });

  it('an index without a pool searches in parallel on one thread, with the same hits', async () => {
    const one = await filled('flat-f16', 'cosine');
    expect(one.threads).toBe(1);
    expect(await one.searchBatchParallel(queries, { k: K })).toEqual(one.searchBatch(queries, { k: K }));
  });
});

describe('scan shares', () => {
  it('split queries on block boundaries, or rows when there are fewer queries than threads', () => {
    expect(scanShares(2, 100, 11)).toEqual([
      { firstPanel: 0, panels: 100, firstQuery: 0, queries: 4 },
      { firstPanel: 0, panels: 100, firstQuery: 4, queries: 7 },
    ]);
    expect(scanShares(3, 10, 1)).toEqual([
      { firstPanel: 0, panels: 3, firstQuery: 0, queries: 1 },
      { firstPanel: 3, panels: 3, firstQuery: 0, queries: 1 },
      { firstPanel: 6, panels: 4, firstQuery: 0, queries: 1 },
    ]);
    // A tiny index gives the spare threads nothing.
    expect(scanShares(4, 2, 1)).toEqual([
      { firstPanel: 0, panels: 1, firstQuery: 0, queries: 1 },
      { firstPanel: 1, panels: 1, firstQuery: 0, queries: 1 },
    ]);
  });

  it('give the calling thread a lighter share of a batch when weighted (it rescores every query after)', () => {
    expect(scanShares(2, 100, 1000, 0.9)).toEqual([
      { firstPanel: 0, panels: 100, firstQuery: 0, queries: 472 },
      { firstPanel: 0, panels: 100, firstQuery: 472, queries: 528 },
    ]);
    // Every query is in exactly one share, on block boundaries.
    const shares = scanShares(3, 100, 11, 0.9);
    expect(shares.map((s) => [s.firstQuery, s.queries])).toEqual([
      [0, 4],
      [4, 7],
    ]);
  });

  it('default threads are the cores, capped by the configured maximum', () => {
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads(1)).toBe(1);
    // index.threads / --threads: 0 is the cores (at most 8), other counts are taken as given.
    expect(searchThreads(0)).toBe(defaultThreads(8));
    expect(searchThreads(3)).toBe(3);
    expect(() => searchThreads(-1)).toThrow(/must be an integer ≥ 0/);
  });
});
