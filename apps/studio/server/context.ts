import type { TrackingStore } from '@cvf/core/node';
import type { DeidOptionName } from '@cvf/medical';
import type { ConfigFiles } from './configs/config-files.js';
import type { DatasetCache } from './data/dataset-cache.js';
import type { RunTestSets } from './data/test-predictions.js';
import type { RunQueue } from './queue/run-queue.js';

/** What the routes share: the resolved options, the open tracking store, the configs folder, the run queue, opened datasets. */
export interface StudioContext {
  readonly version: string;
  /** The folder of the tracking store's files (absolute): the SQLite folder, or a PostgreSQL store's file folder. */
  readonly storeDir: string;
  readonly store: TrackingStore;
  readonly configs: ConfigFiles;
  readonly queue: RunQueue;
  /** Datasets of configs opened for the data page. */
  readonly datasets: DatasetCache;
  /** Finished runs' test splits predicted again, for the misclassified cases. */
  readonly testSets: RunTestSets;
  readonly concurrency: number;
  readonly dicomweb: string | null;
  /** The PS3.15 options of the studio's de-identification profile, on top of the Basic Profile. */
  readonly deidOptions: readonly DeidOptionName[];
  readonly log: (message: string) => void;
}
