import type { Device } from '../compute/device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import type { OpenDatasetOptions } from '../data/open-dataset.js';
import type { OnnxRuntime } from '../onnx/session.js';
import type { ModelRegistry, Tracker } from '../tracking/tracker.js';
import type { BundleManifest, UnsealedManifest } from '../bundle/manifest.js';

/** A step of a training run, for progress bars (CLI) and live views (studio). */
export interface PipelineProgress {
  /** `compare`: champion and challenger predicting the held-out set (cvf retrain). */
  readonly stage: 'data' | 'features' | 'pca' | 'train' | 'pseudo-label' | 'evaluate' | 'index' | 'bundle' | 'compare';
  readonly done: number;
  readonly total: number;
  readonly etaSeconds?: number;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly message?: string;
}

/**
 * Everything a training run needs from where it runs, injected so the orchestrator stays the
 * same in Node (SQLite, files, Dawn) and elsewhere.
 */
export interface TrainingEnvironment {
  readonly device: Device;
  /** How the `data` section is read: files, image decoding, DICOM openers, base folder. */
  readonly dataset: OpenDatasetOptions;
  readonly tracker: Tracker;
  readonly registry: ModelRegistry;
  /** Stores a finished bundle and says where it is (a folder path, a URL). */
  writeBundle(runId: string, manifest: UnsealedManifest, files: ReadonlyMap<string, Uint8Array>): Promise<{ location: string; manifest: BundleManifest }>;
  /** Host matrix products for PCA (ONNX Runtime's MLAS in Node). */
  readonly fastMatmul?: FastMatmul;
  readonly onnxRuntime?: OnnxRuntime;
  readonly gitSha?: string | null;
  readonly onProgress?: (progress: PipelineProgress) => void;
  readonly signal?: AbortSignal;
}
