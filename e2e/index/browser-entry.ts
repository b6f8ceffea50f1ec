// Runs in the page: indexes built in the browser, saved to IndexedDB in chunks, loaded back, and
// damaged on purpose. @cvf/core is bundled from its sources, as the studio bundles it.
import { openDB } from 'idb';
import {
  createIndex,
  deleteIndexFromIndexedDB,
  listIndexesInIndexedDB,
  loadIndexFromIndexedDB,
  saveIndexToIndexedDB,
  wasmSimdSupported,
  type IndexKind,
} from '@cvf/core';
import { errorOf } from '../support/error-of.js';
import { seededVectors } from '../support/seeded-vectors.js';

declare global {
  interface Window {
    runIndexedDbChecks(): Promise<unknown>;
  }
}

const DIM = 24;
const N = 1500;

const vectors = (seed: number, n: number): Float32Array => seededVectors(seed, n, DIM);

window.runIndexedDbChecks = async () => {
  const database = `cvf-e2e-${Date.now()}`;
  const base = vectors(1, N);
  const queries = vectors(2, 5);
  const ids = Int32Array.from({ length: N }, (_, i) => 7 * i);
  const metadata = Array.from({ length: N }, (_, i) => ({ modality: i % 2 ? 'CT' : 'MR', label: i % 5 }));
  const kinds: Record<string, unknown> = {};
  let backend = '';
  for (const kind of ['flat', 'flat-f16', 'flat-int8', 'hnsw'] as IndexKind[]) {
    const index = await createIndex({ kind, dim: DIM, metric: 'cosine', M: 12, efConstruction: 60 });
    backend = (index as unknown as { backend: string }).backend;
    index.addBatch(ids, base, metadata);
    index.delete(ids[3]!);
    const before = index.searchBatch(queries, { k: 8, filter: { modality: 'CT', label: { in: [1, 2] } } });
    // 16 KiB chunks: every index spans many records.
    const manifest = await saveIndexToIndexedDB(index, kind, { database, chunkBytes: 16 * 1024 });
    const loaded = await loadIndexFromIndexedDB(kind, { database });
    const after = loaded.searchBatch(queries, { k: 8, filter: { modality: 'CT', label: { in: [1, 2] } } });
    kinds[kind] = { chunks: manifest.chunks, size: loaded.size, same: JSON.stringify(before) === JSON.stringify(after), hits: after[0]!.length };
  }
  const listed = (await listIndexesInIndexedDB({ database })).map((m) => m.name).sort();

  // Damage one stored chunk of the flat index: loading must fail with INDEX_CORRUPT.
  const db = await openDB(database);
  const chunk = (await db.get('chunks', ['flat', 2])) as Uint8Array;
  chunk[100]! ^= 0xff;
  await db.put('chunks', chunk, ['flat', 2]);
  // And drop a chunk of the HNSW index.
  await db.delete('chunks', ['hnsw', 1]);
  db.close();
  const corrupt = await errorOf(loadIndexFromIndexedDB('flat', { database }));
  const missingChunk = await errorOf(loadIndexFromIndexedDB('hnsw', { database }));
  const missing = await errorOf(loadIndexFromIndexedDB('nope', { database }));
  const deleted = await deleteIndexFromIndexedDB('flat-f16', { database });
  const afterDelete = (await listIndexesInIndexedDB({ database })).map((m) => m.name).sort();
  return { simd: wasmSimdSupported(), backend, kinds, listed, corrupt, missingChunk, missing, deleted, afterDelete };
};
