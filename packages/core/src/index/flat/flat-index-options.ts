import type { KernelBackend } from '../../compute/wasm/backend.js';
import type { ScanPool } from '../threads/scan-pool.js';
import type { VectorMetric } from '../types.js';

/** What every flat index kind is created with. */
export interface FlatIndexOptions {
  readonly dim: number;
  readonly metric: VectorMetric;
  /** Scan code: WebAssembly SIMD (default where available) or the plain TypeScript reference. */
  readonly backend?: KernelBackend;
  /**
   * Threads for searchParallel/searchBatchParallel (Node: `createScanPool` of @cvf/core/node). With
   * more than one thread the index's memory is a SharedArrayBuffer the workers scan in place.
   */
  readonly pool?: ScanPool;
  /**
   * Rows × dim from which a search of fewer queries than threads splits the index's rows between
   * the threads (default SPLIT_ROWS_FROM); smaller indexes search such queries on the calling thread.
   */
  readonly splitRowsFrom?: number;
}
