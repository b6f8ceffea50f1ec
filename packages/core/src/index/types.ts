import type { MetadataFilter } from './filter.js';
import type { VectorMetadata } from './metadata-store.js';

/**
 * How vectors are compared. `dot` and `cosine` are similarities (larger is closer); `l2` is the
 * squared Euclidean distance (smaller is closer). A cosine index stores unit vectors.
 */
export type VectorMetric = 'dot' | 'cosine' | 'l2';
export const VECTOR_METRICS: readonly VectorMetric[] = ['dot', 'cosine', 'l2'];

export type IndexKind = 'flat' | 'flat-f16' | 'flat-int8' | 'hnsw';
export const INDEX_KINDS: readonly IndexKind[] = ['flat', 'flat-f16', 'flat-int8', 'hnsw'];

/**
 * One result: the caller's id and its score — similarity for dot/cosine, squared distance for l2.
 * Flat kinds score their final hits exactly in float64; HNSW reports the f32 products its walk
 * ranked by for dot/cosine and recomputes l2 distances exactly.
 */
export interface SearchHit {
  readonly id: number;
  readonly score: number;
}

export interface SearchOptions {
  /** Results wanted; fewer come back when fewer vectors pass the filter. */
  readonly k: number;
  /** VectorMetadata conditions applied inside the search: vectors that fail never count toward k. */
  readonly filter?: MetadataFilter | undefined;
}

/** Where an index's memory goes, in bytes (an estimate for the id map and metadata strings). */
export interface MemoryEstimate {
  readonly total: number;
  /** Full-precision vectors (f32), including padding of the last panel or row. */
  readonly vectors: number;
  /** Quantized codes (f16 halves, int8 codes) and per-vector scan terms (norms, bounds). */
  readonly codes: number;
  /** HNSW links and levels. */
  readonly graph: number;
  /** ids, the id → slot map and deletion marks. */
  readonly ids: number;
  readonly metadata: number;
  /** Working buffers of the search (queries, thresholds, decode blocks). */
  readonly scratch: number;
}

/**
 * A vector index: ids are integers in [0, 2³¹), each with one vector of `dim` numbers and optional
 * metadata. Every kind answers `search` the same way; they differ in speed, memory and exactness.
 */
export interface VectorIndex {
  readonly kind: IndexKind;
  readonly dim: number;
  readonly metric: VectorMetric;
  /** Live vectors (deleted ones excluded). */
  readonly size: number;
  add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void;
  /** Adds `ids.length` vectors stored row-major in `vectors`. */
  addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): void;
  /** Replaces the vector of an existing id (and its metadata when given). */
  update(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void;
  /** Removes an id; false when it was not there. */
  delete(id: number): boolean;
  has(id: number): boolean;
  /** The stored vector (unit length for cosine; dequantized for quantized kinds without originals). */
  getVector(id: number): Float32Array;
  getMetadata(id: number): VectorMetadata | undefined;
  /** Every live id, in storage order. */
  ids(): Int32Array;
  search(query: ArrayLike<number>, options: SearchOptions): SearchHit[];
  /** `queries` holds m × dim numbers row-major; one hit list per query. */
  searchBatch(queries: ArrayLike<number>, options: SearchOptions): SearchHit[][];
  /** A predicate on ids for a filter, with the search's semantics (false for ids not in the index). */
  matcher(filter: MetadataFilter): (id: number) => boolean;
  /** Exact scores of the given ids against a query (NaN for ids not in the index). */
  score(query: ArrayLike<number>, ids: ArrayLike<number>): Float64Array;
  memory(): MemoryEstimate;
}
