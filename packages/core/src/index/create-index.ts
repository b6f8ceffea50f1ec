import type { KernelBackend } from '../compute/wasm/backend.js';
import { IndexError } from '../errors.js';
import { FlatF16Index } from './flat/flat-f16-index.js';
import { FlatIndex } from './flat/flat-index.js';
import { FlatInt8Index, type Int8Rescoring } from './flat/flat-int8-index.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import type { ScanPool } from './threads/scan-pool.js';
import { INDEX_KINDS, type IndexKind, type VectorMetric, type VectorIndex } from './types.js';

export interface IndexOptions {
  readonly kind: IndexKind;
  readonly dim: number;
  readonly metric: VectorMetric;
  /** Scan code: WebAssembly SIMD where available (default), or the plain TypeScript reference. */
  readonly backend?: KernelBackend;
  /** flat-int8: candidates rescored exactly (default max(4k, 40)). */
  readonly rescore?: number;
  /** flat-int8: `exact` (default) keeps the f32 originals to score candidates; `none` keeps only the codes. */
  readonly rescoring?: Int8Rescoring;
  /** Threads for the flat kinds' searchParallel/searchBatchParallel and HNSW's addBatchParallel (Node: createScanPool of @cvf/core/node). */
  readonly pool?: ScanPool;
  /** Flat kinds: rows × dim from which one query's rows split between the pool's threads (default SPLIT_ROWS_FROM). */
  readonly splitRowsFrom?: number;
  /** hnsw: links per node (16), insertion and search list sizes (200, 64), level seed (100). */
  readonly M?: number;
  readonly efConstruction?: number;
  readonly efSearch?: number;
  readonly seed?: number;
}

/** Creates an empty index of any kind. */
export async function createIndex(options: IndexOptions): Promise<VectorIndex> {
  const common = { dim: options.dim, metric: options.metric, ...(options.backend ? { backend: options.backend } : {}) };
  const flat = { ...common, ...(options.pool ? { pool: options.pool } : {}), ...(options.splitRowsFrom !== undefined ? { splitRowsFrom: options.splitRowsFrom } : {}) };
  switch (options.kind) {
    case 'flat':
      return FlatIndex.create(flat);
    case 'flat-f16':
      return FlatF16Index.create(flat);
    case 'flat-int8':
      return FlatInt8Index.create({ ...flat, ...(options.rescore !== undefined ? { rescore: options.rescore } : {}), ...(options.rescoring !== undefined ? { rescoring: options.rescoring } : {}) });
    case 'hnsw':
      return HnswIndex.create({
        ...common,
        ...(options.M !== undefined ? { M: options.M } : {}),
        ...(options.efConstruction !== undefined ? { efConstruction: options.efConstruction } : {}),
        ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.pool ? { pool: options.pool } : {}),
      });
    default:
      throw new IndexError('INDEX_INVALID_ARGUMENT', `index kind "${String(options.kind)}" is not one of ${INDEX_KINDS.join(', ')}`);
  }
}
