import { describe, expect, it } from 'vitest';
import { IndexError } from '../../errors.js';
import { createIndex } from '../create-index.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import { clusteredVectors } from '../testing/vectors.js';
import { INDEX_KINDS, type IndexKind, type VectorIndex } from '../types.js';
import { FORMAT_VERSION, decodeIndexFile, encodeIndexFile } from './index-format.js';
import { deserializeIndex, serializeIndex } from './index-persistence.js';

const DIM = 19;
const N = 400;
const base = clusteredVectors(21, N, DIM);
const queries = clusteredVectors(22, 5, DIM);
const ids = Int32Array.from({ length: N }, (_, i) => 10 * i);
const metadata = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? undefined : { modality: i % 2 ? 'CT' : 'MR', label: i % 4, weight: i / 7 }));

async function populated(kind: IndexKind): Promise<VectorIndex> {
  const index = await createIndex({ kind, dim: DIM, metric: kind === 'hnsw' ? 'cosine' : 'l2', M: 8, efConstruction: 40 });
  index.addBatch(ids, base, metadata);
  for (let i = 0; i < N; i += 9) index.delete(ids[i]!);
  index.update(ids[1]!, queries.subarray(0, DIM), { modality: 'US', label: 9, weight: 0.5 });
  return index;
}

function expectCode(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(IndexError);
  expect((error as IndexError).code).toBe(code);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('index persistence', () => {
  for (const kind of INDEX_KINDS) {
    it(`${kind}: bytes → index → bytes round-trips to the same searches, ids, metadata and bytes`, async () => {
      const index = await populated(kind);
      const bytes = serializeIndex(index);
      const loaded = await deserializeIndex(bytes);
      expect(loaded.kind).toBe(kind);
      expect(loaded.size).toBe(index.size);
      expect(loaded.ids()).toEqual(index.ids());
      const filter = { modality: 'CT', label: { in: [1, 3] } };
      expect(loaded.searchBatch(queries, { k: 7 })).toEqual(index.searchBatch(queries, { k: 7 }));
      expect(loaded.searchBatch(queries, { k: 7, filter })).toEqual(index.searchBatch(queries, { k: 7, filter }));
      for (const id of index.ids().slice(0, 30)) {
        expect(loaded.getMetadata(id)).toEqual(index.getMetadata(id));
        expect(loaded.getVector(id)).toEqual(index.getVector(id));
      }
      expect(serializeIndex(loaded)).toEqual(bytes);
      // A loaded index keeps working: adds and deletes.
      loaded.add(1, queries.subarray(DIM, 2 * DIM), { modality: 'CT', label: 1, weight: 1 });
      expect(loaded.search(queries.subarray(DIM, 2 * DIM), { k: 1 })[0]!.id).toBe(1);
    });
  }

  it('an HNSW index continues its seeded level sequence after loading', async () => {
    const a = (await populated('hnsw')) as HnswIndex;
    const b = (await deserializeIndex(serializeIndex(a))) as HnswIndex;
    const extra = clusteredVectors(23, 50, DIM);
    const extraIds = Int32Array.from({ length: 50 }, (_, i) => 100000 + i);
    a.addBatch(extraIds, extra);
    b.addBatch(extraIds, extra);
    expect(b.snapshot().levels).toEqual(a.snapshot().levels);
    expect(b.searchBatch(queries, { k: 5 })).toEqual(a.searchBatch(queries, { k: 5 }));
  });

  it('detects corruption: a flipped byte anywhere fails the checksum (INDEX_CORRUPT)', async () => {
    const bytes = serializeIndex(await populated('flat'));
    for (const at of [30, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x10;
      const error = await rejection(deserializeIndex(damaged));
      expectCode(error, 'INDEX_CORRUPT');
      expect((error as Error).message).toMatch(/checksum mismatch/);
    }
  });

  it('detects truncation, foreign bytes and an unknown format version', async () => {
    const bytes = serializeIndex(await populated('flat-int8'));
    expectCode(await rejection(deserializeIndex(bytes.subarray(0, bytes.length - 8))), 'INDEX_CORRUPT');
    expectCode(await rejection(deserializeIndex(bytes.subarray(0, 10))), 'INDEX_CORRUPT');
    expectCode(await rejection(deserializeIndex(new TextEncoder().encode('{"kind":"flat"} and more bytes'))), 'INDEX_CORRUPT');
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    const error = await rejection(deserializeIndex(future));
    expectCode(error, 'INDEX_VERSION_UNSUPPORTED');
    expect((error as Error).message).toMatch(/version 2.*reads version 1/);
  });

  it('refuses well-formed files whose content is inconsistent (checksum valid, section wrong)', async () => {
    const { header, sections } = decodeIndexFile(serializeIndex(await populated('flat')));
    const short = encodeIndexFile({ header, sections: { ...sections, vectors: (sections.vectors as Float32Array).subarray(DIM) } });
    expect(await rejection(deserializeIndex(short))).toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/"vectors" must hold/) });
    const badKind = encodeIndexFile({ header: { ...header, kind: 'ivf' }, sections });
    expectCode(await rejection(deserializeIndex(badKind)), 'INDEX_CORRUPT');
    const graph = decodeIndexFile(serializeIndex(await populated('hnsw')));
    const links = Int32Array.from(graph.sections.links0 as Int32Array);
    links[3] = 1e6;
    expect(await rejection(deserializeIndex(encodeIndexFile({ header: graph.header, sections: { ...graph.sections, links0: links } })))).toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/link to node 1000000/) });
  });

  it('the section table survives odd lengths: every section stays aligned for its type', () => {
    const file = { header: { kind: 'test' }, sections: { a: Uint8Array.of(1, 2, 3), b: Float64Array.of(Math.PI, -0), c: Uint16Array.of(7), d: new Int32Array(0) } };
    const decoded = decodeIndexFile(encodeIndexFile(file));
    expect(decoded.header).toEqual({ kind: 'test' });
    expect(decoded.sections).toEqual(file.sections);
  });
});
