import { join } from 'node:path';
import type { TrainingEnvironment } from '../../pipeline/training-environment.js';
import type { SqliteTrackingStore } from '../tracking/sqlite-store.js';
import { writeBundleFolder } from '../bundle-folder.js';
import { nodeFileAccess } from '../node-file-access.js';

/**
 * What a pipeline test's training run needs beside its device and ONNX Runtime: IDX data read
 * from `dir` (no image decoder: IDX holds raw pixels), one store as tracker and registry, and
 * bundles written as folders under `bundles/<run id>` (default `dir/bundles`).
 */
export function idxTrainingEnvironment(dir: string, store: SqliteTrackingStore, bundles = join(dir, 'bundles')): Pick<TrainingEnvironment, 'dataset' | 'tracker' | 'registry' | 'writeBundle'> {
  return {
    dataset: { files: nodeFileAccess, decoder: { decode: () => Promise.reject(new Error('IDX needs no decoder')) } as never, baseDir: dir },
    tracker: store,
    registry: store,
    writeBundle: async (runId, manifest, files) => {
      const location = join(bundles, runId);
      return { location, manifest: await writeBundleFolder(location, manifest, files) };
    },
  };
}
