import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexError } from '../../../errors.js';
import { createIndex } from '../../../index/create-index.js';
import type { MetadataFilter } from '../../../index/filter.js';
import type { VectorMetadata } from '../../../index/metadata-store.js';
import { clusteredVectors } from '../../../index/testing/vectors.js';
import type { VectorIndex, VectorMetric } from '../../../index/types.js';
import { DenseRetriever } from '../../../retrieval/dense-retriever.js';
import { lanceDbIndexAdapter } from './lancedb-adapter.js';
import { LanceDbIndex } from './lancedb-index.js';

const DIM = 19;
const N = 400;
const M = 5;
const K = 7;
const base = clusteredVectors(11, N, DIM);
const queries = clusteredVectors(12, M, DIM);
const ids = Int32Array.from({ length: N }, (_, i) => 500 + 2 * i);
const SITES = ['north', "st. mary's", 'south \\ east', 'west'];
// Every fourth vector has no age: ranges and equality must skip it as the flat index does.
const metadata: VectorMetadata[] = Array.from({ length: N }, (_, i) => ({ site: SITES[i % SITES.length]!, label: i % 3, ...(i % 4 === 1 ? {} : { age: 20 + (i % 60) }) }));
const metrics: VectorMetric[] = ['dot', 'cosine', 'l2'];

const folders: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cvf-lancedb-test-'));
  folders.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

async function pair(metric: VectorMetric): Promise<{ flat: VectorIndex; lance: LanceDbIndex }> {
  const flat = await createIndex({ kind: 'flat', dim: DIM, metric });
  flat.addBatch(ids, base, metadata);
  const lance = await LanceDbIndex.create(join(await scratch(), 'index'), { dim: DIM, metric });
  await lance.addBatch(ids, base, metadata);
  return { flat, lance };
}

async function expectIndexError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  expect((error as IndexError).code).toBe(code);
}

describe('LanceDbIndex against the flat index on the same vectors', () => {
  for (const metric of metrics) {
    it(`${metric}: the same ids and exact scores, one query and a batch`, async () => {
      const { flat, lance } = await pair(metric);
      expect(lance.size).toBe(N);
      expect(await lance.searchBatch(queries, { k: K })).toEqual(flat.searchBatch(queries, { k: K }));
      const one = queries.subarray(0, DIM);
      expect(await lance.search(one, { k: 1 })).toEqual(flat.search(one, { k: 1 }));
      await lance.close();
    });
  }

  it('filters: equality, any of, ranges, quotes and backslashes in strings, absent fields, combinations', async () => {
    const { flat, lance } = await pair('cosine');
    const filters: MetadataFilter[] = [
      { site: "st. mary's" },
      { site: 'south \\ east' },
      { site: { in: ['north', 'west'] }, label: 2 },
      { age: { gte: 40, lt: 55 } },
      { age: { gt: 70 }, site: { eq: 'north' } },
      { age: { lte: Infinity } },
      { age: { gte: Infinity } },
      { label: { in: [0, 2] }, age: { gt: -Infinity } },
      { site: 'nowhere' },
      { ward: 'A' },
      {},
    ];
    for (const filter of filters) {
      expect(await lance.searchBatch(queries, { k: K, filter }), JSON.stringify(filter)).toEqual(flat.searchBatch(queries, { k: K, filter }));
    }
    await lance.close();
  });

  it('behind the dense retriever: the same hits, larger-is-better scores and metadata', async () => {
    const { flat, lance } = await pair('l2');
    const filter = { site: { in: ['north', "st. mary's"] } };
    expect(await new DenseRetriever(lance).retrieveBatch(queries, { k: K, filter })).toEqual(await new DenseRetriever(flat).retrieveBatch(queries, { k: K, filter }));
    await lance.close();
  });

  it('refuses the filters the flat index refuses, with its code', async () => {
    const { lance } = await pair('dot');
    const query = queries.subarray(0, DIM);
    await expectIndexError(lance.search(query, { k: 3, filter: { age: 'old' } }), 'INDEX_INVALID_FILTER');
    await expectIndexError(lance.search(query, { k: 3, filter: { site: 3 } }), 'INDEX_INVALID_FILTER');
    await expectIndexError(lance.search(query, { k: 3, filter: { site: { gt: 2 } } }), 'INDEX_INVALID_FILTER');
    await expectIndexError(lance.search(query, { k: 3, filter: { age: { gt: 1, gte: 2 } } }), 'INDEX_INVALID_FILTER');
    await expectIndexError(lance.search(query, { k: 3, filter: { age: { like: 2 } } as unknown as MetadataFilter }), 'INDEX_INVALID_FILTER');
    await expectIndexError(lance.search(query, { k: 0 }), 'INDEX_INVALID_ARGUMENT');
    await expectIndexError(lance.search(query.subarray(1), { k: 3 }), 'INDEX_DIMENSION_MISMATCH');
    await lance.close();
  });
});

describe('LanceDbIndex on disk', () => {
  it('adds, deletes and reopens: ids, metadata and searches survive the reopen', async () => {
    const folder = join(await scratch(), 'index');
    const flat = await createIndex({ kind: 'flat', dim: DIM, metric: 'l2' });
    const lance = await LanceDbIndex.create(folder, { dim: DIM, metric: 'l2' });
    await lance.addBatch(ids.subarray(0, 100), base.subarray(0, 100 * DIM), metadata.slice(0, 100));
    flat.addBatch(ids.subarray(0, 100), base.subarray(0, 100 * DIM), metadata.slice(0, 100));
    // A later add brings a field no earlier vector had.
    await lance.add(7, base.subarray(100 * DIM, 101 * DIM), { ward: 'B', label: 1 });
    flat.add(7, base.subarray(100 * DIM, 101 * DIM), { ward: 'B', label: 1 });
    expect(await lance.delete(ids[3]!)).toBe(true);
    expect(flat.delete(ids[3]!)).toBe(true);
    expect(await lance.delete(ids[3]!)).toBe(false);
    await expectIndexError(lance.add(ids[4]!, base.subarray(0, DIM)), 'INDEX_DUPLICATE_ID');
    await expectIndexError(lance.add(8, base.subarray(0, DIM), { label: 'one' }), 'INDEX_INVALID_METADATA');
    await lance.close();

    const reopened = await LanceDbIndex.open(folder);
    expect(reopened.size).toBe(100);
    expect([...(await reopened.ids())].sort((a, b) => a - b)).toEqual([...flat.ids()].sort((a, b) => a - b));
    expect(await reopened.getMetadata(7)).toEqual({ ward: 'B', label: 1 });
    expect(await reopened.getMetadata(ids[5]!)).toEqual(metadata[5]);
    expect(await reopened.getMetadata(ids[3]!)).toBeUndefined();
    expect(await reopened.has(ids[3]!)).toBe(false);
    expect(await reopened.getVector(7)).toEqual(flat.getVector(7));
    for (const filter of [undefined, { ward: 'B' }, { label: 1 }] as (MetadataFilter | undefined)[]) {
      expect(await reopened.searchBatch(queries, { k: K, filter })).toEqual(flat.searchBatch(queries, { k: K, filter }));
    }
    await reopened.close();
  });

  it('refuses a folder that is not an index, and creating over an existing one', async () => {
    const folder = join(await scratch(), 'index');
    await expectIndexError(LanceDbIndex.open(folder), 'INDEX_CORRUPT');
    await (await LanceDbIndex.create(folder, { dim: 3, metric: 'dot' })).close();
    await expectIndexError(LanceDbIndex.create(folder, { dim: 3, metric: 'dot' }), 'INDEX_INVALID_ARGUMENT');
  });

  it('the adapter writes an in-memory index as files and opens them as the same index', async () => {
    const { flat } = await pair('cosine');
    const files = await lanceDbIndexAdapter.write(flat);
    expect([...files.keys()].some((path) => path.startsWith('cases.lance/'))).toBe(true);
    const opened = await lanceDbIndexAdapter.open(files, { metric: 'cosine' });
    expect(await opened.searchBatch(queries, { k: K, filter: { label: 1 } })).toEqual(flat.searchBatch(queries, { k: K, filter: { label: 1 } }));
    await opened.close();
    await expectIndexError(lanceDbIndexAdapter.open(files, { metric: 'l2' }), 'INDEX_CORRUPT');
  });
});
