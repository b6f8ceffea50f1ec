export { assertBundlePath, bundlePathSchema, isBundleMetaFile, MANIFEST_FILE, SIGNATURE_FILE } from './bundle-path.js';
export { MAX_SIGNATURE_BYTES, signBundle, verifyBundleSignature, type BundleSignature } from './signature.js';
export { collectStages, findStage, openBundle, parseManifest, requireStage, sealBundle, stageFiles, type Bundle } from './bundle.js';
export { BUNDLE_SCHEMA_VERSION, bundleManifestSchema, inputContractSchema, unsealedManifestSchema, type BundleManifest, type InputContract, type UnsealedManifest } from './manifest.js';
export { sha256Hex } from './sha256.js';
export type { InPlaceFiles, InPlaceFolder } from './in-place.js';
export { bundleDigest } from './digest.js';
export { loadBundle, MAX_MANIFEST_BYTES, memorySource, type BundleSource, type LoadBundleOptions } from './source.js';
export { httpSource, type HttpSourceOptions } from './sources/http-source.js';
export {
  DEFAULT_BUNDLE_DATABASE,
  deleteBundleFromIndexedDB,
  indexedDbSource,
  listBundlesInIndexedDB,
  saveBundleToIndexedDB,
  type BundleDatabaseOptions,
  type CachedBundle,
} from './sources/indexeddb-source.js';
export { bundleToTar, tarSource } from './sources/tar-source.js';
export { readTar, writeTar } from './tar.js';
export { savedStage, type SavedStage, type StageContext, type StageFiles, type StageRecord } from './stage-kind.js';
export { bundleStageSchema, STAGE_KINDS, type BundleStage, type StageKindName, type StageOfKind } from './stage-table.js';
export type { CaseIndex, CaseList } from './kinds/case-index.js';
export type { ComposedGraph } from './kinds/composed.js';
export { argmaxNeverRefer, type DecisionParams, type DecisionStage, type OperatingPointRecord, type ReferralPolicy } from './kinds/decision.js';
export type { EvaluationReport } from './kinds/evaluation.js';
export type { KnnSettings } from './kinds/knn-head.js';
export { decodeThumbnails, encodeThumbnails, THUMBNAIL_SIZE, type Thumbnails } from './thumbnails.js';
