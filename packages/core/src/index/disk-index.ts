import { IndexError } from '../errors.js';
import type { VectorMetadata } from './metadata-store.js';
import type { SearchHit, SearchOptions, VectorIndex, VectorMetric } from './types.js';

/** Index kinds whose vectors live on disk, outside memory, behind an adapter of the host (Node). */
export type DiskIndexKind = 'lancedb';
export const DISK_INDEX_KINDS: readonly DiskIndexKind[] = ['lancedb'];

/**
 * A vector index on disk (LanceDB): the search contract of VectorIndex — ids, metadata, the same
 * filters and metric semantics, exact scores — answered asynchronously, since every call reads files.
 */
export interface DiskVectorIndex {
  readonly kind: DiskIndexKind;
  readonly dim: number;
  readonly metric: VectorMetric;
  /** Live vectors. */
  readonly size: number;
  add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): Promise<void>;
  addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): Promise<void>;
  /** Removes an id; false when it was not there. */
  delete(id: number): Promise<boolean>;
  has(id: number): Promise<boolean>;
  getMetadata(id: number): Promise<VectorMetadata | undefined>;
  ids(): Promise<Int32Array>;
  search(query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]>;
  searchBatch(queries: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[][]>;
  /** Releases the table (and the private copy it was opened from, if any). */
  close(): Promise<void>;
}

/** What a case index may be: in memory (flat, HNSW) or on disk. `await` works on both answers. */
export type CaseSearchIndex = VectorIndex | DiskVectorIndex;

/** How a host stores a disk index inside a bundle and opens it again. */
export interface DiskIndexAdapter {
  readonly kind: DiskIndexKind;
  /** The file among `write`'s that describes the index (dim, metric, metadata fields). */
  readonly descriptionFile: string;
  /** The index's files (paths relative to its folder → bytes), holding the vectors and metadata of `index`. */
  write(index: VectorIndex): Promise<Map<string, Uint8Array>>;
  /** Opens files written by `write` (verified with the rest of the bundle); INDEX_CORRUPT when they hold another metric. */
  open(files: ReadonlyMap<string, Uint8Array>, expected: { metric: VectorMetric }): Promise<DiskVectorIndex>;
  /** Opens, read-only and without copying, the index in a folder whose files were verified where they lie (a bundle folder). */
  openFolder(folder: string, expected: { metric: VectorMetric }): Promise<DiskVectorIndex>;
}

// Disk indexes need files and native code, so core never imports them: a host that has them
// (@cvf/core/node) registers its adapter, and a host without (the browser) is told which kind failed.
const adapters = new Map<DiskIndexKind, DiskIndexAdapter>();

export function registerDiskIndexAdapter(adapter: DiskIndexAdapter): void {
  adapters.set(adapter.kind, adapter);
}

export function isDiskIndexKind(kind: string): kind is DiskIndexKind {
  return (DISK_INDEX_KINDS as readonly string[]).includes(kind);
}

/** The registered adapter of a disk kind; INDEX_KIND_UNAVAILABLE names the kind where this runtime has none. */
export function diskIndexAdapter(kind: DiskIndexKind): DiskIndexAdapter {
  const adapter = adapters.get(kind);
  if (!adapter) {
    throw new IndexError(
      'INDEX_KIND_UNAVAILABLE',
      `index kind "${kind}" keeps its vectors in files on disk, which only Node can open (@cvf/core/node provides it); this runtime has no "${kind}" adapter — serve the bundle from the CLI or the edge runtime, or train it with index.kind flat or hnsw`,
    );
  }
  return adapter;
}

