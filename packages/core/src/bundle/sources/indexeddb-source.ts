import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../bundle-path.js';
import type { Bundle } from '../bundle.js';
import type { BundleSource } from '../source.js';

/**
 * The browser's bundle cache: bundles in IndexedDB (through `idb`), so a viewer opens a model it
 * has fetched once without the network. Each cached bundle is an entry listing its files and the
 * bytes of each file (its manifest included) under [key, path]. Saving writes everything in one
 * readwrite transaction: a reader sees the old bundle or the new one, never half of one. Loading
 * goes through `loadBundle`, so every file's checksum is verified again.
 */
export const DEFAULT_BUNDLE_DATABASE = 'cvf-bundles';

export interface CachedBundle {
  readonly key: string;
  readonly name: string;
  readonly version: number | null;
  readonly paths: readonly string[];
  readonly bytes: number;
  readonly savedAt: string;
}

interface BundleDb extends DBSchema {
  bundles: { key: string; value: CachedBundle };
  files: { key: [string, string]; value: Uint8Array };
}

export interface BundleDatabaseOptions {
  /** Database name (default "cvf-bundles"). */
  readonly database?: string;
}

function open(options: BundleDatabaseOptions): Promise<IDBPDatabase<BundleDb>> {
  return openDB<BundleDb>(options.database ?? DEFAULT_BUNDLE_DATABASE, 1, {
    upgrade(db) {
      db.createObjectStore('bundles', { keyPath: 'key' });
      db.createObjectStore('files');
    },
  });
}

async function withDb<T>(options: BundleDatabaseOptions, use: (db: IDBPDatabase<BundleDb>) => Promise<T>): Promise<T> {
  const db = await open(options);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

/** Stores a verified bundle under `key` (e.g. "fashion-mnist@3"), replacing what was there. */
export async function saveBundleToIndexedDB(bundle: Bundle, key: string, options: BundleDatabaseOptions = {}): Promise<CachedBundle> {
  const manifest = new TextEncoder().encode(`${JSON.stringify(bundle.manifest, null, 2)}\n`);
  const entries: [string, Uint8Array][] = [[MANIFEST_FILE, manifest], ...(bundle.signature ? [[SIGNATURE_FILE, bundle.signature] as [string, Uint8Array]] : []), ...bundle.files];
  const cached: CachedBundle = {
    key,
    name: bundle.manifest.name,
    version: bundle.manifest.version,
    paths: entries.map(([path]) => path),
    bytes: entries.reduce((sum, [, bytes]) => sum + bytes.byteLength, 0),
    savedAt: new Date().toISOString(),
  };
  return withDb(options, async (db) => {
    const tx = db.transaction(['bundles', 'files'], 'readwrite');
    const previous = await tx.objectStore('bundles').get(key);
    const writes: Promise<unknown>[] = [];
    for (const path of previous?.paths ?? []) if (!cached.paths.includes(path)) writes.push(tx.objectStore('files').delete([key, path]));
    for (const [path, bytes] of entries) writes.push(tx.objectStore('files').put(bytes, [key, path]));
    writes.push(tx.objectStore('bundles').put(cached));
    await Promise.all([...writes, tx.done]);
    return cached;
  });
}

/** A cached bundle as a source; a key that is not cached reads as a missing manifest (BUNDLE_NOT_FOUND from loadBundle). */
export function indexedDbSource(key: string, options: BundleDatabaseOptions = {}): BundleSource {
  return {
    location: `indexeddb:${options.database ?? DEFAULT_BUNDLE_DATABASE}/${key}`,
    read: (path) => withDb(options, async (db) => (await db.get('files', [key, path])) ?? null),
  };
}

export function listBundlesInIndexedDB(options: BundleDatabaseOptions = {}): Promise<CachedBundle[]> {
  return withDb(options, (db) => db.getAll('bundles'));
}

/** Removes a cached bundle; false when there was none under `key`. */
export async function deleteBundleFromIndexedDB(key: string, options: BundleDatabaseOptions = {}): Promise<boolean> {
  return withDb(options, async (db) => {
    const tx = db.transaction(['bundles', 'files'], 'readwrite');
    const cached = await tx.objectStore('bundles').get(key);
    if (cached) await Promise.all([...cached.paths.map((path) => tx.objectStore('files').delete([key, path])), tx.objectStore('bundles').delete(key)]);
    await tx.done;
    return cached !== undefined;
  });
}
