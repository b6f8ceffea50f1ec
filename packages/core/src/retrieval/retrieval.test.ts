import { afterAll, describe, expect, it } from 'vitest';
import { IndexError, OnnxError } from '../errors.js';
import { createIndex } from '../index/create-index.js';
import { bruteForce, clusteredVectors } from '../index/testing/vectors.js';
import type { VectorIndex, VectorMetric } from '../index/types.js';
import { gpuForTests } from '../node/testing/index.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { DenseRetriever } from './dense-retriever.js';
import { HybridRetriever } from './hybrid-retriever.js';
import { ExactReranker, OnnxReranker, RerankingRetriever } from './reranker.js';
import { TermIndex, tokenize } from './term-index.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const DIM = 16;
const N = 800;
const base = clusteredVectors(51, N, DIM, { decay: 0.1 });
const queries = clusteredVectors(52, 4, DIM, { decay: 0.1 });
const ids = Int32Array.from({ length: N }, (_, i) => i);
const MODALITIES = ['CT', 'MR', 'XR', 'US'];
const FINDINGS = ['nodule', 'effusion', 'fracture', 'normal', 'pneumothorax'];
const metadata = Array.from({ length: N }, (_, i) => ({ modality: MODALITIES[i % 4]!, label: i % 5, finding: FINDINGS[i % 5]!, site: i % 3 === 0 ? 'north' : 'south' }));

async function indexOf(kind: 'flat' | 'hnsw' | 'flat-int8', metric: VectorMetric): Promise<VectorIndex> {
  const index = await createIndex({ kind, dim: DIM, metric, M: 12, efConstruction: 80 });
  index.addBatch(ids, base, metadata);
  return index;
}

describe('dense retriever', () => {
  const devices = [{ name: 'cpu', device: undefined }, ...(gpu.device ? [{ name: 'webgpu', device: gpu.device }] : [])];
  for (const { name, device } of devices) {
    it(`top-k with a filter on ${name}: larger-is-better scores, metadata attached, equal to brute force`, async () => {
      for (const metric of ['cosine', 'l2'] as const) {
        const retriever = new DenseRetriever(await indexOf('flat', metric), device ? { device } : {});
        expect(retriever.onDevice).toBe(name === 'webgpu');
        const filter = { modality: { in: ['CT', 'MR'] }, site: 'south' };
        const hits = await retriever.retrieve(queries.subarray(0, DIM), { k: 6, filter });
        const want = bruteForce(metric, ids, base, DIM, queries.subarray(0, DIM), 6, (r) => ['CT', 'MR'].includes(metadata[r]!.modality) && metadata[r]!.site === 'south');
        expect(hits.map((h) => h.id)).toEqual(want.map((h) => h.id));
        hits.forEach((h, r) => expect(h.score).toBeCloseTo(metric === 'l2' ? -want[r]!.score : want[r]!.score, 5));
        for (let r = 1; r < hits.length; r++) expect(hits[r]!.score).toBeLessThanOrEqual(hits[r - 1]!.score);
        expect(hits[0]!.metadata).toEqual(metadata[hits[0]!.id]);
        const batch = await retriever.retrieveBatch(queries, { k: 3 });
        expect(batch.length).toBe(4);
      }
    });
  }

  it('over an HNSW index (CPU graph walk; a device is not used)', async () => {
    const retriever = new DenseRetriever(await indexOf('hnsw', 'cosine'), gpu.device ? { device: gpu.device } : {});
    expect(retriever.onDevice).toBe(false);
    const hits = await retriever.retrieve(queries.subarray(0, DIM), { k: 5, filter: { label: 2 } });
    expect(hits.length).toBe(5);
    for (const h of hits) expect(h.metadata!.label).toBe(2);
  });
});

describe('term index', () => {
  it('tokenizes and scores BM25: rare terms weigh more, deleted documents drop out', () => {
    expect(tokenize('CT Chest, 3mm — Pleural-Effusion')).toEqual(['ct', 'chest', '3mm', 'pleural', 'effusion']);
    const terms = new TermIndex();
    terms.set(1, 'ct chest nodule');
    terms.set(2, 'ct chest normal');
    terms.set(3, 'mr brain normal');
    expect(terms.search('nodule', 5).map((h) => h.id)).toEqual([1]);
    const chest = terms.search('ct nodule', 5);
    expect(chest.map((h) => h.id)).toEqual([1, 2]);
    expect(chest[0]!.score).toBeGreaterThan(chest[1]!.score);
    expect(terms.search('normal', 5, (id) => id !== 3).map((h) => h.id)).toEqual([2]);
    terms.delete(1);
    expect(terms.search('nodule', 5)).toEqual([]);
    expect(terms.size).toBe(2);
  });
});

describe('hybrid retriever', () => {
  it('blends dense and term scores by the weight; weight 0 is dense order, weight 1 is term order', async () => {
    const index = await indexOf('flat', 'cosine');
    const hybrid = new HybridRetriever(new DenseRetriever(index), new TermIndex(), { weight: 0.5 });
    hybrid.indexMetadata(['modality', 'finding']);
    const vector = queries.subarray(0, DIM);
    const dense = await hybrid.retrieve({ vector, text: 'effusion', k: 5, weight: 0 });
    expect(dense.map((h) => h.id)).toEqual((await hybrid.dense.retrieve(vector, { k: 5 })).map((h) => h.id));
    const text = await hybrid.retrieve({ vector, text: 'effusion', k: 5, weight: 1 });
    for (const h of text) expect(h.metadata!.finding).toBe('effusion');
    // weight 0.5: score = 0.5·(dense − min)/(max − min) + 0.5·term/best over the pooled candidates
    // (dense top 50 ∪ term top 50), recomputed here from the parts.
    const blended = await hybrid.retrieve({ vector, text: 'effusion', k: 10 });
    const pool = new Set([...(await hybrid.dense.retrieve(vector, { k: 50 })).map((h) => h.id), ...hybrid.terms.search('effusion', 50).map((h) => h.id)]);
    const denseOf = new Map([...pool].map((id) => [id, index.score(vector, [id])[0]!]));
    const termOf = hybrid.terms.scores('effusion');
    const low = Math.min(...denseOf.values());
    const high = Math.max(...denseOf.values());
    const best = Math.max(...[...pool].map((id) => termOf.get(id) ?? 0));
    const expected = [...pool]
      .map((id) => ({ id, score: 0.5 * ((denseOf.get(id)! - low) / (high - low)) + 0.5 * ((termOf.get(id) ?? 0) / best) }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 10);
    expect(blended.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    blended.forEach((h, r) => {
      expect(h.score).toBeCloseTo(expected[r]!.score, 9);
      expect(h.dense).toBeCloseTo(denseOf.get(h.id)!, 9);
      expect(h.term).toBeCloseTo(termOf.get(h.id) ?? 0, 9);
    });
    expect(blended[0]!.metadata!.finding).toBe('effusion');
  });

  it('applies the filter inside both halves and handles text-only and vector-only queries', async () => {
    const index = await indexOf('hnsw', 'l2');
    const hybrid = new HybridRetriever(new DenseRetriever(index), new TermIndex(), { weight: 0.3, pool: 40 });
    hybrid.indexMetadata(['finding', 'modality']);
    const hits = await hybrid.retrieve({ vector: queries.subarray(0, DIM), text: 'fracture ct', k: 8, filter: { site: 'north' } });
    expect(hits.length).toBe(8);
    for (const h of hits) expect(h.metadata!.site).toBe('north');
    const textOnly = await hybrid.retrieve({ text: 'pneumothorax', k: 3, filter: { modality: 'XR' } });
    for (const h of textOnly) expect(h.metadata).toMatchObject({ finding: 'pneumothorax', modality: 'XR' });
    const vectorOnly = await hybrid.retrieve({ vector: queries.subarray(0, DIM), k: 3 });
    expect(vectorOnly.map((h) => h.id)).toEqual((await hybrid.dense.retrieve(queries.subarray(0, DIM), { k: 3 })).map((h) => h.id));
    await expect(hybrid.retrieve({ k: 3 })).rejects.toBeInstanceOf(IndexError);
    await expect(hybrid.retrieve({ text: 'x', k: 3, weight: 2 })).resolves.toBeDefined(); // text-only ignores the weight
    await expect(hybrid.retrieve({ vector: queries.subarray(0, DIM), text: 'x', k: 3, weight: 2 })).rejects.toThrow(/weight = 2/);
  });
});

describe('rerankers', () => {
  it('exact reranking of a larger approximate pool restores the exact top-k', async () => {
    const first = new DenseRetriever(await indexOf('flat-int8', 'dot'));
    const exactSource = await indexOf('flat', 'dot');
    const retriever = new RerankingRetriever(first, new ExactReranker(exactSource), { pool: 60 });
    for (let q = 0; q < 4; q++) {
      const query = queries.subarray(q * DIM, (q + 1) * DIM);
      const hits = await retriever.retrieve(query, { k: 10 });
      const want = bruteForce('dot', ids, base, DIM, query, 10);
      expect(hits.map((h) => h.id)).toEqual(want.map((h) => h.id));
      hits.forEach((h, r) => expect(h.score).toBeCloseTo(want[r]!.score, 9));
    }
  });

  it('an ONNX scorer reranks through the injected runtime: a learned projection changes the order', async () => {
    const source = await indexOf('flat', 'dot');
    // scores = (candidates · W) · (query · W)ᵀ with a projection W that keeps the first 4 dimensions.
    const hidden = 4;
    const w = new Float32Array(DIM * hidden);
    for (let j = 0; j < hidden; j++) w[j * hidden + j] = 1;
    const g = new OnnxGraphBuilder('rerank');
    const query = g.input('query', 'float32', [1, DIM]);
    const candidates = g.input('candidates', 'float32', ['c', DIM]);
    const weights = g.initializer('w', w, [DIM, hidden]);
    const scores = g.gemm(g.matmul(candidates, weights), g.matmul(query, weights), undefined, { transB: true });
    g.output(g.reshape(scores, [-1]), 'scores');
    const runtime = await createOrtNodeRuntime();
    const reranker = await OnnxReranker.create(runtime, g.toBytes(), source, { executionProviders: ['cpu'] });
    const pool = (await new DenseRetriever(source).retrieve(queries.subarray(0, DIM), { k: 40 })).map((h) => h.id);
    const hits = await reranker.rerank(queries.subarray(0, DIM), pool, 8);
    const projected = (id: number) => {
      let s = 0;
      for (let j = 0; j < hidden; j++) s += queries[j]! * base[id * DIM + j]!;
      return s;
    };
    const want = [...pool].sort((a, b) => projected(b) - projected(a)).slice(0, 8);
    expect(hits.map((h) => h.id)).toEqual(want);
    hits.forEach((h) => expect(h.score).toBeCloseTo(projected(h.id), 4));
    await expect(OnnxReranker.create(runtime, g.toBytes(), source, { executionProviders: ['cpu'], queryInput: 'q' })).rejects.toSatisfy((e) => e instanceof OnnxError && /no input "q"/.test(e.message));
    await reranker.release();
  });
});
