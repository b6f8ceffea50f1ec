// Node-only adapters of @cvf/core: Dawn WebGPU, onnxruntime-node, files, SQLite tracking, diagnostics.
export { DEFAULT_MAX_FILE_BYTES, readRegularFile, type ReadRegularFileOptions } from './read-regular-file.js';
export { loadResolvedBundle, parseModelReference, resolveBundle, type ModelReference, type ResolvedBundle } from './bundle-reference.js';
export { bundleSourceAt, folderSource, readBundleFolder, tarFileSource, writeBundleFolder, writeBundleSignature, writeBundleTar } from './bundle-folder.js';
export { loadPipelineConfigFile } from './config-file.js';
export { diagnose, type DoctorReport } from './doctor.js';
export { loadIndexFile, saveIndexFile } from './index-file.js';
import './index/lancedb/register.js';
export { lanceDbIndexAdapter } from './index/lancedb/lancedb-adapter.js';
export { LanceDbIndex } from './index/lancedb/lancedb-index.js';
export { SharpImageDecoder, sharpImageDecoder } from './image-decode-sharp.js';
export { nodeFileAccess } from './node-file-access.js';
export { createOrtNodeRuntime, ORT_NODE_EXECUTION_PROVIDERS, probeExecutionProviders } from './ort-node.js';
export { createOrtNodeWorkerRuntime, type OrtWorkerRuntimeOptions, type OrtWorkerRuns } from './ort-worker/ort-worker-runtime.js';
export { isProcessAlive } from './process-alive.js';
export { createScanPool, defaultThreads, searchThreads } from './threads/thread-pool.js';
export { copySqliteStoreToPostgres, isPostgresLocation, openTrackingStore, PostgresTrackingStore, SqliteTrackingStore, trackingStoreFolder, type RunFilter, type RunOverview, type StoreCopyReport, type TrackingStore } from './tracking/index.js';
export { createNodeDevice, nodeGpu } from './webgpu.js';
export { openVideoFrames, probeVideo, VideoError, type VideoErrorCode, type VideoFrame, type VideoFrames, type VideoFramesOptions, type VideoInfo } from './video/index.js';
