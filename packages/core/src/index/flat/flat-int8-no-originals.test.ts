import { describe, expect, it } from 'vitest';
import { availableKernelBackends } from '../../compute/wasm/backend.js';
import { IndexError } from '../../errors.js';
import { deserializeIndex, serializeIndex } from '../persist/index-persistence.js';
import { bruteForce, clusteredVectors, recallAtK } from '../testing/vectors.js';
import type { VectorMetric } from '../types.js';
import { FlatInt8Index } from './flat-int8-index.js';

// flat-int8 with rescoring 'none': codes only, no f32 originals.
const DIM = 48;
const N = 1500;
const M = 8;
const K = 10;
const base = clusteredVectors(21, N, DIM, { decay: 0.05 });
const queries = clusteredVectors(22, M, DIM, { decay: 0.05 });
const ids = Int32Array.from({ length: N }, (_, i) => 3 + 2 * i);
const metrics: VectorMetric[] = ['dot', 'cosine', 'l2'];

function truth(metric: VectorMetric, n = N, rows = base): ReturnType<typeof bruteForce>[] {
  return Array.from({ length: M }, (_, q) => bruteForce(metric, ids.subarray(0, n), rows, DIM, queries.subarray(q * DIM, (q + 1) * DIM), K));
}

describe("flat-int8 with rescoring 'none' (no f32 originals)", () => {
  for (const metric of metrics) {
    for (const backend of availableKernelBackends()) {
      it(`${metric} (${backend}): recall ≥ 0.9 of the exact top-10, about a quarter of the f32 bytes`, async () => {
        const lean = await FlatInt8Index.create({ dim: DIM, metric, backend, rescoring: 'none' });
        const exact = await FlatInt8Index.create({ dim: DIM, metric, backend });
        lean.addBatch(ids, base);
        exact.addBatch(ids, base);
        expect(lean.rescoring).toBe('none');
        const hits = lean.searchBatch(queries, { k: K });
        expect(recallAtK(hits, truth(metric))).toBeGreaterThanOrEqual(0.9);
        expect(lean.memory().vectors).toBe(0);
        expect(exact.memory().vectors).toBeGreaterThanOrEqual(N * DIM * 4);
        expect(lean.memory().total).toBeLessThan(exact.memory().total / 2);
        // Scores are those of the dequantized codes, which getVector returns.
        const v = lean.getVector(hits[0]![0]!.id);
        const q = queries.subarray(0, DIM);
        if (metric === 'dot') expect(hits[0]![0]!.score).toBeCloseTo(v.reduce((s, x, j) => s + x * q[j]!, 0), 4);
      });
    }
  }

  it('dequantized vectors stay within half a step of the originals, and within one and a half after the ranges widen', async () => {
    const lean = await FlatInt8Index.create({ dim: DIM, metric: 'dot', rescoring: 'none' });
    lean.addBatch(ids.subarray(0, 500), base.subarray(0, 500 * DIM));
    const stepsBefore = Array.from({ length: DIM }, (_, j) => lean.quantizer.step(j));
    for (let r = 0; r < 500; r += 37) {
      const v = lean.getVector(ids[r]!);
      for (let j = 0; j < DIM; j++) expect(Math.abs(v[j]! - base[r * DIM + j]!)).toBeLessThanOrEqual(stepsBefore[j]! / 2 + 1e-6);
    }
    // Rows three times wider than the first ones: the ranges widen and the old codes are re-encoded from themselves.
    const wide = base.subarray(500 * DIM).map((x) => 3 * x);
    lean.addBatch(ids.subarray(500), wide);
    let widened = false;
    for (let j = 0; j < DIM; j++) widened ||= lean.quantizer.step(j) > stepsBefore[j]!;
    expect(widened).toBe(true);
    for (let r = 0; r < 500; r += 37) {
      const v = lean.getVector(ids[r]!);
      for (let j = 0; j < DIM; j++) expect(Math.abs(v[j]! - base[r * DIM + j]!)).toBeLessThanOrEqual(stepsBefore[j]! / 2 + lean.quantizer.step(j) / 2 + 1e-6);
    }
    const hits = lean.searchBatch(queries, { k: K });
    const rows = new Float32Array(N * DIM);
    rows.set(base.subarray(0, 500 * DIM));
    rows.set(wide, 500 * DIM);
    expect(recallAtK(hits, truth('dot', N, rows))).toBeGreaterThanOrEqual(0.8);
  });

  it('persists its codes (no originals) and loads back to the same searches and bytes', async () => {
    const lean = await FlatInt8Index.create({ dim: DIM, metric: 'l2', rescoring: 'none' });
    lean.addBatch(ids, base, Array.from({ length: N }, (_, i) => ({ part: i % 4 })));
    lean.delete(ids[10]!);
    const bytes = serializeIndex(lean);
    const loaded = (await deserializeIndex(bytes)) as FlatInt8Index;
    expect(loaded.kind).toBe('flat-int8');
    expect(loaded.rescoring).toBe('none');
    expect(loaded.searchBatch(queries, { k: K, filter: { part: { in: [1, 2] } } })).toEqual(lean.searchBatch(queries, { k: K, filter: { part: { in: [1, 2] } } }));
    expect(serializeIndex(loaded)).toEqual(bytes);
    expect(bytes.byteLength).toBeLessThan(N * DIM * 2);
  });

  it('refuses an unknown rescoring, naming the options', async () => {
    await expect(FlatInt8Index.create({ dim: DIM, metric: 'dot', rescoring: 'approx' as 'none' })).rejects.toThrow(IndexError);
    await expect(FlatInt8Index.create({ dim: DIM, metric: 'dot', rescoring: 'approx' as 'none' })).rejects.toThrow(/rescoring "approx" is not one of exact, none/);
  });
});
