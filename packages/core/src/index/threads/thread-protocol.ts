import type { GraphInsertResult, GraphInsertTask } from '../hnsw/parallel-build.js';
import type { ScanTask, ScanTaskResult } from './scan-pool.js';

/**
 * What a pool's threads are asked: one op per kind of shared work. The same messages travel to
 * Node's worker_threads and to the browser's Web Workers.
 */
export type ThreadRequest = { readonly id: number; readonly op: 'scan'; readonly task: ScanTask } | { readonly id: number; readonly op: 'insert-graph'; readonly task: GraphInsertTask };

export type ThreadAnswer =
  | { readonly id: number; readonly ok: true; readonly value: ScanTaskResult | GraphInsertResult }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string };

/** The first message of a thread: it is listening. */
export type ThreadReady = { readonly ready: true };
