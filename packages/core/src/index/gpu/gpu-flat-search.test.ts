import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { gpuForTests } from '../../node/testing/index.js';
import { Tensor } from '../../compute/tensor.js';
import { createIndex } from '../create-index.js';
import type { FlatIndexBase } from '../flat/flat-base.js';
import { bruteForce, clusteredVectors } from '../testing/vectors.js';
import { gpuFlatSearch } from './gpu-flat-search.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const DIM = 21;
const N = 700; // three chunks of 256 base vectors, the last one partial
const M = 11; // two query tiles of 8, the second partial
const base = clusteredVectors(41, N, DIM);
const queries = clusteredVectors(42, M, DIM);
const ids = Int32Array.from({ length: N }, (_, i) => 5 * i + 2);
const metadata = Array.from({ length: N }, (_, i) => ({ modality: i % 4 === 0 ? 'CT' : 'MR', label: i % 6 }));

describe('flat search on a Device', () => {
  for (const kind of ['flat', 'flat-f16', 'flat-int8'] as const) {
    for (const metric of ['dot', 'cosine', 'l2'] as const) {
      it.skipIf(!gpu.device)(`${kind} (${metric}) on WebGPU returns the CPU scan's hits, with and without a filter`, async () => {
        const index = (await createIndex({ kind, dim: DIM, metric })) as FlatIndexBase;
        index.addBatch(ids, base, metadata);
        for (const filter of [undefined, { modality: 'CT', label: { in: [0, 2, 4] } }]) {
          const options = { k: 12, ...(filter ? { filter } : {}) };
          const onGpu = await index.searchBatchOn(gpu.device!, queries, options);
          expect(onGpu).toEqual(index.searchBatch(queries, options));
          if (kind === 'flat') {
            const keep = filter ? (r: number) => metadata[r]!.modality === 'CT' && [0, 2, 4].includes(metadata[r]!.label) : undefined;
            expect(onGpu[0]!.map((h) => h.id)).toEqual(bruteForce(metric, ids, base, DIM, queries.subarray(0, DIM), 12, keep).map((h) => h.id));
          }
        }
        index.releaseDevice();
      });
    }
  }

  it.skipIf(!gpu.device)('flat-int8 without originals (rescoring none) keys its resident codes as the CPU int8 scan does', async () => {
    for (const metric of ['dot', 'l2'] as const) {
      const index = (await createIndex({ kind: 'flat-int8', dim: DIM, metric, rescoring: 'none' })) as FlatIndexBase;
      index.addBatch(ids, base, metadata);
      for (const filter of [undefined, { modality: 'MR' }]) {
        const options = { k: 10, ...(filter ? { filter } : {}) };
        expect(await index.searchBatchOn(gpu.device!, queries, options)).toEqual(index.searchBatch(queries, options));
      }
      index.releaseDevice();
    }
  });

  it.skipIf(!gpu.device)('pools of more than 64 take the two-pass scan, with the same hits', async () => {
    for (const [kind, extra] of [['flat', {}], ['flat-int8', { rescore: 100 }]] as const) {
      const index = (await createIndex({ kind, dim: DIM, metric: 'cosine', ...extra })) as FlatIndexBase;
      index.addBatch(ids, base);
      expect(await index.searchBatchOn(gpu.device!, queries, { k: 70 })).toEqual(index.searchBatch(queries, { k: 70 }));
      index.releaseDevice();
    }
  });

  it.skipIf(!gpu.device)('a base split into slices (merged by top-k-merge) gives the one-pass hits', async () => {
    const rows = gpu.device!.upload(Tensor.cpu('f32', [N, DIM], base));
    const mask = new Uint8Array(N).fill(1);
    for (const metric of ['dot', 'l2'] as const) {
      const onePass = await gpuFlatSearch(gpu.device!, rows, queries, mask, { metric, k: 12, slices: 1 });
      expect(await gpuFlatSearch(gpu.device!, rows, queries, mask, { metric, k: 12, slices: 3 })).toEqual(onePass);
      const rowIds = Int32Array.from({ length: N }, (_, i) => i);
      expect([...onePass.indices.subarray(0, 12)]).toEqual(bruteForce(metric, rowIds, base, DIM, queries.subarray(0, DIM), 12).map((h) => h.id));
    }
    rows.dispose();
  });

  it.skipIf(!gpu.device)('the resident copy follows changes: deletes and updates are seen by the next GPU search', async () => {
    const index = (await createIndex({ kind: 'flat', dim: DIM, metric: 'l2' })) as FlatIndexBase;
    index.addBatch(ids, base);
    const q = queries.subarray(0, DIM);
    const first = (await index.searchBatchOn(gpu.device!, q, { k: 1 }))[0]![0]!.id;
    index.delete(first);
    expect((await index.searchBatchOn(gpu.device!, q, { k: 1 }))[0]![0]!.id).not.toBe(first);
    index.update(ids[100]!, q);
    expect(await index.searchBatchOn(gpu.device!, q, { k: 1 })).toEqual([[{ id: ids[100], score: 0 }]]);
    index.releaseDevice();
  });

  it('a CPU device runs the CPU scan', async () => {
    const index = (await createIndex({ kind: 'flat', dim: DIM, metric: 'dot' })) as FlatIndexBase;
    index.addBatch(ids, base);
    expect(await index.searchBatchOn(new CpuDevice(), queries, { k: 3 })).toEqual(index.searchBatch(queries, { k: 3 }));
  });
});
