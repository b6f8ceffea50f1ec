export { assertBundlePath, MANIFEST_FILE, openBundle, sealBundle, type Bundle } from './bundle.js';
export { BUNDLE_SCHEMA_VERSION, bundleManifestSchema, type BundleManifest, type BundleStage } from './bundle-manifest.js';
export { sha256Hex } from './sha256.js';
export { canonicalJson, configHash, flattenParams } from './config-hash.js';
export { CHECKPOINT_ARTIFACT, runTrainingPipeline, type TrainPipelineOptions, type TrainSummary } from './train-pipeline.js';
export type { PipelineProgress, TrainingEnvironment } from './training-environment.js';
export { Predictor, type Prediction, type PredictorContext } from './predictor.js';
export { applyPoint, runTuning, searchPoints, type TrialResult, type TuneSummary } from './tune.js';
export { decodeThumbnails, encodeThumbnails, THUMBNAIL_SIZE, type Thumbnails } from './thumbnails.js';
