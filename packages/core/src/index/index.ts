// Vector indexes: flat exact (f32), flat quantized (f16; int8 with exact rescoring) and HNSW, with
// metadata filters inside the search, persistence (bytes, Node files via @cvf/core/node, IndexedDB)
// and a memory estimate. The scans run as WebAssembly SIMD kernels generated at run time, with
// plain TypeScript loops as their reference; flat kinds can also scan on a WebGPU Device.
export { createIndex, type IndexOptions } from './create-index.js';
export { DISK_INDEX_KINDS, diskIndexAdapter, isDiskIndexKind, registerDiskIndexAdapter, type CaseSearchIndex, type DiskIndexAdapter, type DiskIndexKind, type DiskVectorIndex } from './disk-index.js';
export { compileFilter, type CompiledFilter, type FieldCondition, type FilterScalar, type MetadataFilter } from './filter.js';
export { FlatIndexBase } from './flat/flat-base.js';
export type { FlatIndexOptions } from './flat/flat-index-options.js';
export { FlatF16Index } from './flat/flat-f16-index.js';
export { FlatIndex, type FlatF32IndexOptions } from './flat/flat-index.js';
export { FlatInt8Index, INT8_RESCORINGS, type FlatInt8IndexOptions, type Int8Rescoring } from './flat/flat-int8-index.js';
export { gpuFlatSearch, MAX_GPU_CANDIDATES } from './gpu/gpu-flat-search.js';
export { HnswIndex, type HnswIndexOptions, type HnswSearchOptions } from './hnsw/hnsw-index.js';
export type { HnswSnapshot } from './hnsw/hnsw-snapshot.js';
export { reachableOnLayerZero } from './hnsw/hnsw-snapshot.js';
export { KERNEL_BACKENDS, type KernelBackend } from '../compute/wasm/backend.js';
export { MetadataStore, type MetadataSnapshot, type VectorMetadata, type VectorMetadataValue } from './metadata-store.js';
export {
  DEFAULT_CHUNK_BYTES,
  DEFAULT_INDEXEDDB_NAME,
  deleteIndexFromIndexedDB,
  listIndexesInIndexedDB,
  loadIndexFromIndexedDB,
  saveIndexToIndexedDB,
  type IndexedDbOptions,
} from './persist-indexeddb.js';
export { decodeIndexFile, encodeIndexFile, FORMAT_VERSION as INDEX_FORMAT_VERSION, type IndexFile, type SectionArray } from './persist/index-format.js';
export { deserializeIndex, serializeIndex } from './persist/index-persistence.js';
export { recallAtK } from './recall.js';
export type { ScanPool, ScanTask, ScanTaskResult } from './threads/scan-pool.js';
export type { ScanWorker, WorkerScanPool } from './threads/worker-scan-pool.js';
export { createWebScanPool, webSearchThreads, webThreadsUnavailable, type WebSearchThreads } from './threads-browser/web-scan-pool.js';
export { wasmSimdSupported } from '../compute/wasm/backend.js';
export { INDEX_KINDS, VECTOR_METRICS, type IndexKind, type MemoryEstimate, type SearchHit, type SearchOptions, type VectorIndex, type VectorMetric } from './types.js';
