import type { ScanTask, ScanTaskResult } from '../../index/threads/scan-pool.js';

/** What the pool's threads are asked: one op per kind of shared work. */
export type ThreadRequest = { readonly id: number; readonly op: 'scan'; readonly task: ScanTask };

export type ThreadAnswer =
  | { readonly id: number; readonly ok: true; readonly value: ScanTaskResult }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string };
