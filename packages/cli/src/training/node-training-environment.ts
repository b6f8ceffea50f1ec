import { createOrtFastMatmul, type Device, type PipelineConfig, type PipelineProgress, type TrainingEnvironment } from '@cvf/core';
import { createOrtNodeRuntime, nodeFileAccess, openTrackingStore, sharpImageDecoder, writeBundleFolder, type TrackingStore } from '@cvf/core/node';
import { dicomDatasetOpeners, dicomUnlabelledOpeners } from '@cvf/medical';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';

/** The git commit of the working folder, or null outside a repository. */
export function gitSha(cwd = process.cwd()): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A training run on this machine: the tracking store at `storeRoot` (default `tracking.store`; a
 * folder for SQLite or a postgres:// URL), bundles under `<store's file folder>/bundles/<runId>`, files from disk (relative data paths from the config's folder),
 * sharp for PNG/JPEG/WebP, @cvf/medical for DICOM sources, ONNX Runtime's MLAS for PCA products.
 */
export async function nodeTrainingEnvironment(options: {
  config: PipelineConfig;
  configPath: string;
  /** The store `cvf train` found (see store-location.ts); default: the config's `tracking.store`. */
  storeRoot?: string;
  device: Device;
  onProgress?: (progress: PipelineProgress) => void;
  signal?: AbortSignal;
}): Promise<{ environment: TrainingEnvironment; store: TrackingStore; close(): void }> {
  const { config, configPath, device } = options;
  const storeRoot = options.storeRoot ?? config.tracking.store;
  const store = await openTrackingStore(storeRoot);
  const runtime = await createOrtNodeRuntime();
  const fastMatmul = createOrtFastMatmul(runtime, config.compute.threads > 0 ? { threads: config.compute.threads } : {});
  const dicomImages = { device, ...(config.preprocess.window ? { window: config.preprocess.window } : {}) };
  const environment: TrainingEnvironment = {
    device,
    dataset: {
      files: nodeFileAccess,
      decoder: sharpImageDecoder,
      baseDir: dirname(resolve(configPath)),
      openers: dicomDatasetOpeners({ env: process.env, ...dicomImages }),
      unlabelledOpeners: dicomUnlabelledOpeners(dicomImages),
    },
    tracker: store,
    registry: store,
    writeBundle: async (runId, manifest, files) => {
      const location = resolve(join(store.root, 'bundles', runId));
      return { location, manifest: await writeBundleFolder(location, manifest, files) };
    },
    fastMatmul,
    onnxRuntime: runtime,
    gitSha: gitSha(dirname(resolve(configPath))),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    environment,
    store,
    close: () => {
      void fastMatmul.release();
      void store.close();
    },
  };
}
