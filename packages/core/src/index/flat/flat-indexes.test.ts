import { describe, expect, it } from 'vitest';
import { availableKernelBackends, type KernelBackend } from '../../compute/wasm/backend.js';
import { IndexError } from '../../errors.js';
import { createIndex } from '../create-index.js';
import { bruteForce, clusteredVectors, recallAtK } from '../testing/vectors.js';
import type { IndexKind, VectorIndex, VectorMetric } from '../types.js';
import { FlatF16Index } from './flat-f16-index.js';
import { FlatIndex } from './flat-index.js';
import { FlatInt8Index } from './flat-int8-index.js';

const DIM = 37; // not a multiple of 4 or 8: exercises padding of panels, pairs and rows
const N = 1200;
const M = 9; // two blocks of four queries and one single
const K = 10;
const base = clusteredVectors(1, N, DIM);
const queries = clusteredVectors(2, M, DIM);
const ids = Int32Array.from({ length: N }, (_, i) => 1000 + 3 * i);
const backends = availableKernelBackends();
const metrics: VectorMetric[] = ['dot', 'cosine', 'l2'];

function expectIndexError(fn: () => unknown, code: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(IndexError);
  expect((error as IndexError).code).toBe(code);
}

async function filled(kind: IndexKind, metric: VectorMetric, backend: KernelBackend): Promise<VectorIndex> {
  const index = await createIndex({ kind, dim: DIM, metric, backend });
  index.addBatch(ids, base);
  return index;
}

function truth(metric: VectorMetric, k = K): ReturnType<typeof bruteForce>[] {
  return Array.from({ length: M }, (_, q) => bruteForce(metric, ids, base, DIM, queries.subarray(q * DIM, (q + 1) * DIM), k));
}

describe('flat indexes: results against float64 brute force', () => {
  for (const metric of metrics) {
    const want = truth(metric);
    for (const backend of backends) {
      it(`flat (${backend}, ${metric}) returns exactly the brute-force top-k, single and batched`, async () => {
        const index = await filled('flat', metric, backend);
        const batch = index.searchBatch(queries, { k: K });
        for (let q = 0; q < M; q++) {
          const single = index.search(queries.subarray(q * DIM, (q + 1) * DIM), { k: K });
          expect(single).toEqual(batch[q]);
          expect(batch[q]!.map((h) => h.id)).toEqual(want[q]!.map((h) => h.id));
          batch[q]!.forEach((h, r) => expect(h.score).toBeCloseTo(want[q]![r]!.score, 5));
        }
      });
      it(`flat-f16 (${backend}, ${metric}) finds ≥ 0.95 of the top-10 with scores of its f16 values`, async () => {
        const index = await filled('flat-f16', metric, backend);
        const batch = index.searchBatch(queries, { k: K });
        expect(recallAtK(batch, want)).toBeGreaterThanOrEqual(0.95);
        for (const hits of batch) for (const h of hits) expect(index.score(queries.subarray(0, DIM), [h.id])[0]).toBeTypeOf('number');
      });
      it(`flat-int8 (${backend}, ${metric}) finds ≥ 0.98 of the top-10 and scores them exactly`, async () => {
        const index = await filled('flat-int8', metric, backend);
        const batch = index.searchBatch(queries, { k: K });
        expect(recallAtK(batch, want)).toBeGreaterThanOrEqual(0.98);
        const exact = new Map(truth(metric, N)[0]!.map((h) => [h.id, h.score]));
        for (const h of batch[0]!) expect(h.score).toBeCloseTo(exact.get(h.id)!, 5);
      });
    }
  }

  it.skipIf(backends.length < 2)('SIMD and reference kernels give identical hits for every kind', async () => {
    for (const kind of ['flat', 'flat-f16', 'flat-int8'] as const) {
      for (const metric of metrics) {
        const [simd, reference] = await Promise.all(backends.map((b) => filled(kind, metric, b)));
        expect(simd!.searchBatch(queries, { k: 25 }), `${kind} ${metric}`).toEqual(reference!.searchBatch(queries, { k: 25 }));
      }
    }
  });

  it('the bounded f32 scan is chosen for PCA-like data and still returns the exact top-k', async () => {
    const pca = clusteredVectors(3, 2000, 64, { decay: 0.12 });
    const pcaIds = Int32Array.from({ length: 2000 }, (_, i) => i);
    const q = clusteredVectors(4, 6, 64, { decay: 0.12 });
    for (const metric of metrics) {
      const index = await FlatIndex.create({ dim: 64, metric });
      index.addBatch(pcaIds, pca);
      expect(index.bounded, metric).toBe(true);
      const got = index.searchBatch(q, { k: 15 });
      for (let i = 0; i < 6; i++) expect(got[i]!.map((h) => h.id)).toEqual(bruteForce(metric, pcaIds, pca, 64, q.subarray(i * 64, (i + 1) * 64), 15).map((h) => h.id));
    }
    // Forced on isotropic data of an odd dimension (bound stages 5 and 9 of 37): still exact.
    for (const metric of metrics) {
      for (const backend of backends) {
        const forced = await FlatIndex.create({ dim: DIM, metric, backend, scan: 'bounded' });
        forced.addBatch(ids, base);
        expect(forced.bounded).toBe(true);
        const got = forced.searchBatch(queries, { k: K });
        const want = truth(metric);
        for (let i = 0; i < M; i++) expect(got[i]!.map((h) => h.id), `${metric} ${backend}`).toEqual(want[i]!.map((h) => h.id));
      }
    }
    const isotropic = await FlatIndex.create({ dim: 64, metric: 'dot' });
    isotropic.addBatch(pcaIds, clusteredVectors(5, 2000, 64));
    expect(isotropic.bounded).toBe(false);
  });

  it('the bounded f16 scan is chosen for PCA-like data and returns what the full f16 scan returns', async () => {
    const pca = clusteredVectors(3, 2000, 64, { decay: 0.12 });
    const pcaIds = Int32Array.from({ length: 2000 }, (_, i) => 5 * i);
    const q = clusteredVectors(4, 7, 64, { decay: 0.12 });
    for (const metric of metrics) {
      for (const backend of backends) {
        const auto = await FlatF16Index.create({ dim: 64, metric, backend });
        const full = await FlatF16Index.create({ dim: 64, metric, backend, scan: 'full' });
        auto.addBatch(pcaIds, pca);
        full.addBatch(pcaIds, pca);
        for (const index of [auto, full]) index.delete(5 * 17); // a moved slot and its tail norms
        expect(auto.bounded, metric).toBe(true);
        expect(full.bounded).toBe(false);
        expect(auto.searchBatch(q, { k: 15 }), `${metric} ${backend}`).toEqual(full.searchBatch(q, { k: 15 }));
        expect(auto.search(q.subarray(0, 64), { k: 15, filter: {} })).toEqual(full.search(q.subarray(0, 64), { k: 15 }));
      }
    }
    const isotropic = await FlatF16Index.create({ dim: 64, metric: 'dot' });
    isotropic.addBatch(pcaIds, clusteredVectors(5, 2000, 64));
    expect(isotropic.bounded).toBe(false);
    await expect(FlatF16Index.create({ dim: 64, metric: 'dot', scan: 'fast' as 'full' })).rejects.toThrow(/scan "fast" is not one of auto, full, bounded/);
  });

  it('seeded thresholds keep every vector that ties with the k-th best (all scores equal)', async () => {
    // 1,000 copies of one vector: every score ties, so the probe's seed sits just below the k-th
    // score and the scan must still keep k of them — the lowest slots, as without a seed.
    for (const backend of backends) {
      const index = await FlatIndex.create({ dim: 16, metric: 'dot', backend });
      const row = Float32Array.from({ length: 16 }, (_, j) => (j % 3) - 1);
      const rows = new Float32Array(1000 * 16);
      for (let i = 0; i < 1000; i++) rows.set(row, i * 16);
      index.addBatch(Int32Array.from({ length: 1000 }, (_, i) => i), rows);
      const hits = index.searchBatch(new Float32Array(5 * 16).fill(1), { k: 7 });
      for (const list of hits) {
        expect(list.length).toBe(7);
        for (const h of list) expect(h.score).toBe(row.reduce((a, v) => a + v, 0));
      }
    }
  });

  it('k larger than the index returns every vector, best first', async () => {
    const index = await createIndex({ kind: 'flat', dim: 2, metric: 'l2' });
    index.addBatch([7, 8, 9], [0, 0, 3, 4, 1, 0]);
    expect(index.search([0, 0], { k: 10 })).toEqual([
      { id: 7, score: 0 },
      { id: 9, score: 1 },
      { id: 8, score: 25 },
    ]);
    expect((await createIndex({ kind: 'flat', dim: 2, metric: 'dot' })).search([1, 1], { k: 3 })).toEqual([]);
  });
});

describe('flat indexes: add, delete, update', () => {
  for (const kind of ['flat', 'flat-f16', 'flat-int8'] as const) {
    it(`${kind}: deleted ids never come back, updates move vectors, results match brute force over what is left`, async () => {
      const index = await filled(kind, 'l2', backends[0]!);
      const removed = new Set<number>();
      for (let r = 0; r < N; r += 3) {
        expect(index.delete(ids[r]!)).toBe(true);
        removed.add(r);
      }
      expect(index.delete(ids[0]!)).toBe(false);
      expect(index.size).toBe(N - removed.size);
      // Move row 1 onto query 0: it must become query 0's nearest neighbour.
      index.update(ids[1]!, queries.subarray(0, DIM));
      const rows = Float32Array.from(base);
      rows.set(queries.subarray(0, DIM), DIM);
      const want = Array.from({ length: M }, (_, q) => bruteForce('l2', ids, rows, DIM, queries.subarray(q * DIM, (q + 1) * DIM), K, (r) => !removed.has(r)));
      const got = index.searchBatch(queries, { k: K });
      expect(got[0]![0]!.id).toBe(ids[1]);
      expect(recallAtK(got, want)).toBeGreaterThanOrEqual(kind === 'flat' ? 1 : 0.95);
      for (const hits of got) for (const h of hits) expect(removed.has((h.id - 1000) / 3)).toBe(false);
      expect(new Set(index.ids())).toEqual(new Set(Array.from(ids).filter((_, r) => !removed.has(r))));
      expect(Array.from(index.getVector(ids[1]!))).toEqual(Array.from(index.getVector(ids[1]!)));
      // Re-adding a deleted id works; adding a live one does not.
      index.add(ids[0]!, base.subarray(0, DIM));
      expect(index.has(ids[0]!)).toBe(true);
      expectIndexError(() => index.add(ids[1]!, base.subarray(0, DIM)), 'INDEX_DUPLICATE_ID');
      expectIndexError(() => index.update(5, base.subarray(0, DIM)), 'INDEX_ID_NOT_FOUND');
      expectIndexError(() => index.getVector(5), 'INDEX_ID_NOT_FOUND');
    });
  }

  it('flat-int8 widens its ranges for vectors outside them and still finds them exactly', async () => {
    const index = await FlatInt8Index.create({ dim: 4, metric: 'l2' });
    index.addBatch([1, 2, 3], [0, 0, 0, 0, 1, 1, 1, 1, -1, 0.5, 0, 1]);
    const before = Float64Array.from(index.quantizer.hi);
    index.add(4, [40, -30, 2, 0]);
    expect(index.quantizer.hi[0]).toBeGreaterThan(before[0]!);
    expect(index.search([39, -29, 2, 0], { k: 1 })).toEqual([{ id: 4, score: 2 }]);
    expect(index.search([0.9, 1, 1, 1], { k: 1 })[0]!.id).toBe(2);
  });
});

describe('flat indexes: metadata filters inside the search', () => {
  const modalities = ['CT', 'MR', 'US'];
  const metadata = Array.from({ length: N }, (_, i) => ({ modality: modalities[i % 3]!, label: i % 10, site: i % 7 === 0 ? 'north' : 'south', age: 20 + (i % 61) }));
  const passes = (r: number, f: (m: (typeof metadata)[number]) => boolean) => f(metadata[r]!);

  for (const kind of ['flat', 'flat-f16', 'flat-int8'] as const) {
    it(`${kind}: k results that all pass equality, in and range conditions — not a post-filtered top-k`, async () => {
      const index = await createIndex({ kind, dim: DIM, metric: 'cosine' });
      index.addBatch(ids, base, metadata);
      const filter = { modality: 'MR', label: { in: [1, 4, 7] }, age: { gte: 30, lt: 70 }, site: { eq: 'south' } };
      const keep = (r: number) => passes(r, (m) => m.modality === 'MR' && [1, 4, 7].includes(m.label) && m.age >= 30 && m.age < 70 && m.site === 'south');
      const got = index.searchBatch(queries, { k: K, filter });
      for (let q = 0; q < M; q++) {
        const want = bruteForce('cosine', ids, base, DIM, queries.subarray(q * DIM, (q + 1) * DIM), K, keep);
        expect(got[q]!.length).toBe(K);
        for (const h of got[q]!) {
          const m = index.getMetadata(h.id)!;
          expect(m.modality === 'MR' && [1, 4, 7].includes(m.label as number) && (m.age as number) >= 30 && (m.age as number) < 70 && m.site === 'south').toBe(true);
        }
        if (kind === 'flat') expect(got[q]!.map((h) => h.id)).toEqual(want.map((h) => h.id));
      }
      // The unfiltered top-10 holds few of these: a post-filter would come back short.
      const unfiltered = index.searchBatch(queries, { k: K });
      const passing = unfiltered.flat().filter((h) => keep((h.id - 1000) / 3)).length;
      expect(passing).toBeLessThan(M * K);
    });
  }

  it('a filter that few vectors pass returns only those; unknown fields and values match nothing', async () => {
    const index = await createIndex({ kind: 'flat', dim: DIM, metric: 'dot' });
    index.addBatch(ids, base, metadata);
    const few = index.search(queries.subarray(0, DIM), { k: 50, filter: { label: 3, age: 20 } });
    expect(few.length).toBe(metadata.filter((m) => m.label === 3 && m.age === 20).length);
    expect(index.search(queries.subarray(0, DIM), { k: 5, filter: { modality: 'PET' } })).toEqual([]);
    expect(index.search(queries.subarray(0, DIM), { k: 5, filter: { scanner: 'x' } })).toEqual([]);
  });

  it('bad filters are refused with INDEX_INVALID_FILTER naming the field', async () => {
    const index = await createIndex({ kind: 'flat', dim: DIM, metric: 'dot' });
    index.addBatch(ids, base, metadata);
    const q = queries.subarray(0, DIM);
    expectIndexError(() => index.search(q, { k: 1, filter: { label: 'three' } }), 'INDEX_INVALID_FILTER');
    expectIndexError(() => index.search(q, { k: 1, filter: { modality: { gte: 3 } } }), 'INDEX_INVALID_FILTER');
    expectIndexError(() => index.search(q, { k: 1, filter: { label: { near: 3 } } as never }), 'INDEX_INVALID_FILTER');
    expectIndexError(() => index.search(q, { k: 1, filter: { label: { in: 3 } } as never }), 'INDEX_INVALID_FILTER');
    expect(() => index.search(q, { k: 1, filter: { label: 'three' } })).toThrow(/"label".*numbers/);
  });

  it('metadata of the wrong type is refused before anything is stored', async () => {
    const index = await createIndex({ kind: 'flat', dim: 2, metric: 'dot' });
    index.add(1, [1, 0], { label: 1 });
    expectIndexError(() => index.add(2, [0, 1], { label: 'one' }), 'INDEX_INVALID_METADATA');
    expectIndexError(() => index.add(2, [0, 1], { label: { x: 1 } } as never), 'INDEX_INVALID_METADATA');
    expect(index.has(2)).toBe(false);
    expect(index.getMetadata(1)).toEqual({ label: 1 });
  });
});

describe('flat indexes: refused input', () => {
  it('wrong dimensions, non-finite values, bad ids, bad k, out-of-range f16 values', async () => {
    const index = await createIndex({ kind: 'flat', dim: 3, metric: 'dot' });
    expectIndexError(() => index.add(1, [1, 2]), 'INDEX_DIMENSION_MISMATCH');
    expectIndexError(() => index.add(1, [1, NaN, 2]), 'INDEX_INVALID_VECTOR');
    expectIndexError(() => index.add(-1, [1, 2, 3]), 'INDEX_INVALID_ARGUMENT');
    expectIndexError(() => index.add(1.5, [1, 2, 3]), 'INDEX_INVALID_ARGUMENT');
    expectIndexError(() => index.addBatch([1, 1], [1, 2, 3, 4, 5, 6]), 'INDEX_DUPLICATE_ID');
    expectIndexError(() => index.addBatch([1], [1, 2, 3, 4, 5, 6]), 'INDEX_INVALID_ARGUMENT');
    expect(index.size).toBe(0);
    index.add(1, [1, 2, 3]);
    expectIndexError(() => index.search([1, 2, 3], { k: 0 }), 'INDEX_INVALID_ARGUMENT');
    expectIndexError(() => index.search([1, 2], { k: 1 }), 'INDEX_DIMENSION_MISMATCH');
    expectIndexError(() => index.searchBatch([1, 2, 3, 4], { k: 1 }), 'INDEX_DIMENSION_MISMATCH');
    const f16 = await createIndex({ kind: 'flat-f16', dim: 2, metric: 'dot' });
    expectIndexError(() => f16.add(1, [1e6, 0]), 'INDEX_INVALID_VECTOR');
    await expect(createIndex({ kind: 'flat', dim: 0, metric: 'dot' })).rejects.toThrow(/dim = 0/);
    await expect(createIndex({ kind: 'flat', dim: 4, metric: 'manhattan' as VectorMetric })).rejects.toThrow(/dot, cosine, l2/);
    await expect(createIndex({ kind: 'ivf' as IndexKind, dim: 4, metric: 'dot' })).rejects.toThrow(/flat, flat-f16, flat-int8, hnsw/);
  });
});

describe('flat indexes: memory estimate', () => {
  it('counts vectors, codes, ids and metadata; f16 holds half the bytes of f32, int8 a quarter plus its originals', async () => {
    const [flat, f16, int8] = await Promise.all((['flat', 'flat-f16', 'flat-int8'] as const).map((kind) => filled(kind, 'dot', backends[0]!)));
    const a = flat!.memory();
    const b = f16!.memory();
    const c = int8!.memory();
    expect(a.vectors).toBeGreaterThanOrEqual(N * DIM * 4);
    expect(b.vectors).toBe(0);
    expect(b.codes).toBeGreaterThanOrEqual(N * DIM * 2);
    expect(b.codes).toBeLessThan(a.vectors * 0.6);
    expect(c.vectors).toBeGreaterThanOrEqual(N * DIM * 4);
    expect(c.codes).toBeGreaterThanOrEqual(N * Math.ceil(DIM / 2) * 2);
    for (const m of [a, b, c]) {
      expect(m.ids).toBeGreaterThanOrEqual(N * 4);
      expect(m.total).toBe(m.vectors + m.codes + m.graph + m.ids + m.metadata + m.scratch);
    }
  });
});
