import type { SqliteTrackingStore } from '@cvf/core/node';
import type { ConfigFiles } from './configs/config-files.js';
import type { RunQueue } from './queue/run-queue.js';

/** What the routes share: the resolved options, the open tracking store, the configs folder, the run queue. */
export interface StudioContext {
  readonly version: string;
  /** The tracking store folder (absolute). */
  readonly storeDir: string;
  readonly store: SqliteTrackingStore;
  readonly configs: ConfigFiles;
  readonly queue: RunQueue;
  readonly concurrency: number;
  readonly dicomweb: string | null;
  readonly log: (message: string) => void;
}
