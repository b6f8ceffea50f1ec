import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KernelBackend } from '../compute/wasm/backend.js';
import { FileError, IndexError } from '../errors.js';
import { deserializeIndex, serializeIndex } from './persist/index-persistence.js';
import type { VectorIndex } from './types.js';

/**
 * Indexes in the browser's IndexedDB, through `idb`. An index's bytes (the same format as Node
 * files: versioned header + CRC-32) are stored in chunks — large single values strain some
 * browsers' IndexedDB — under a manifest. A save writes every chunk and the manifest in one
 * readwrite transaction, so it is atomic: a reader sees the old index or the new one.
 */
export const DEFAULT_INDEXEDDB_NAME = 'cvf-indexes';
/** 4 MiB per chunk. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

interface Manifest {
  readonly name: string;
  readonly kind: string;
  readonly byteLength: number;
  readonly chunks: number;
  readonly savedAt: string;
}

interface IndexDb extends DBSchema {
  manifests: { key: string; value: Manifest };
  chunks: { key: [string, number]; value: Uint8Array };
}

export interface IndexedDbOptions {
  /** Database name (default "cvf-indexes"). */
  readonly database?: string;
}

function open(options: IndexedDbOptions): Promise<IDBPDatabase<IndexDb>> {
  return openDB<IndexDb>(options.database ?? DEFAULT_INDEXEDDB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('manifests', { keyPath: 'name' });
      db.createObjectStore('chunks');
    },
  });
}

export async function saveIndexToIndexedDB(index: VectorIndex, name: string, options: IndexedDbOptions & { chunkBytes?: number } = {}): Promise<Manifest> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new IndexError('INDEX_INVALID_ARGUMENT', `chunkBytes = ${chunkBytes} must be a positive integer`);
  const bytes = serializeIndex(index);
  const chunks = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  const db = await open(options);
  try {
    const tx = db.transaction(['manifests', 'chunks'], 'readwrite');
    const previous = await tx.objectStore('manifests').get(name);
    const manifest: Manifest = { name, kind: index.kind, byteLength: bytes.length, chunks, savedAt: new Date().toISOString() };
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < chunks; i++) puts.push(tx.objectStore('chunks').put(bytes.slice(i * chunkBytes, (i + 1) * chunkBytes), [name, i]));
    for (let i = chunks; i < (previous?.chunks ?? 0); i++) puts.push(tx.objectStore('chunks').delete([name, i]));
    puts.push(tx.objectStore('manifests').put(manifest));
    await Promise.all([...puts, tx.done]);
    return manifest;
  } finally {
    db.close();
  }
}

/** Loads an index; FileError when none has that name, IndexError(INDEX_CORRUPT) when its chunks do not add up or fail the checksum. */
export async function loadIndexFromIndexedDB(name: string, options: IndexedDbOptions & { backend?: KernelBackend } = {}): Promise<VectorIndex> {
  const db = await open(options);
  let bytes: Uint8Array;
  try {
    const tx = db.transaction(['manifests', 'chunks'], 'readonly');
    const manifest = await tx.objectStore('manifests').get(name);
    if (!manifest) throw new FileError(`no index named "${name}" in IndexedDB database "${options.database ?? DEFAULT_INDEXEDDB_NAME}"`);
    const chunks = await Promise.all(Array.from({ length: manifest.chunks }, (_, i) => tx.objectStore('chunks').get([name, i])));
    await tx.done;
    bytes = new Uint8Array(manifest.byteLength);
    let offset = 0;
    for (const [i, chunk] of chunks.entries()) {
      if (!(chunk instanceof Uint8Array) || offset + chunk.length > bytes.length) throw new IndexError('INDEX_CORRUPT', `stored index "${name}": chunk ${i} is missing or too long`);
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    if (offset !== manifest.byteLength) throw new IndexError('INDEX_CORRUPT', `stored index "${name}": chunks hold ${offset} of ${manifest.byteLength} bytes`);
  } finally {
    db.close();
  }
  return deserializeIndex(bytes, options.backend ? { backend: options.backend } : {});
}

export async function deleteIndexFromIndexedDB(name: string, options: IndexedDbOptions = {}): Promise<boolean> {
  const db = await open(options);
  try {
    const tx = db.transaction(['manifests', 'chunks'], 'readwrite');
    const manifest = await tx.objectStore('manifests').get(name);
    if (!manifest) {
      await tx.done;
      return false;
    }
    const deletes: Promise<unknown>[] = [tx.objectStore('manifests').delete(name)];
    for (let i = 0; i < manifest.chunks; i++) deletes.push(tx.objectStore('chunks').delete([name, i]));
    await Promise.all([...deletes, tx.done]);
    return true;
  } finally {
    db.close();
  }
}

export async function listIndexesInIndexedDB(options: IndexedDbOptions = {}): Promise<Manifest[]> {
  const db = await open(options);
  try {
    return await db.getAll('manifests');
  } finally {
    db.close();
  }
}
