import type { KernelBackend } from '../../compute/wasm/backend.js';
import { IndexError } from '../../errors.js';
import type { MetadataFilter } from '../filter.js';
import { createKernelSet, type KernelSet } from '../kernel-set.js';
import type { VectorMetadata } from '../metadata-store.js';
import { checkDim, checkK, checkMetric, checkRows, checkVector, storedVector } from '../metric.js';
import { SlotTable, type SlotReader } from '../slot-table.js';
import type { MemoryEstimate, VectorMetric, SearchHit, SearchOptions, VectorIndex } from '../types.js';
import { HnswBuild } from './hnsw-build.js';
import { HnswLayout, nodeBlockBytes } from './hnsw-layout.js';
import { HnswSearch } from './hnsw-search.js';
import { insertInParallel, type GraphInsertTask } from './parallel-build.js';
import { memoryKey } from '../threads/memory-key.js';
import type { ScanPool } from '../threads/scan-pool.js';
import { checkSnapshot, corruptGraph, graphArrays, restoreGraph, type HnswSnapshot } from './hnsw-snapshot.js';

export interface HnswIndexOptions {
  readonly dim: number;
  readonly metric: VectorMetric;
  /** Links per node on the upper layers (twice as many on layer 0). Default 16. */
  readonly M?: number;
  /** Candidate list size while inserting. Default 200. */
  readonly efConstruction?: number;
  /** Candidate list size while searching (at least k is used). Default 64; can be changed later. */
  readonly efSearch?: number;
  /** Seed of the level draws: the same seed and insertion order give the same graph. Default 100. */
  readonly seed?: number;
  readonly backend?: KernelBackend;
  /** Threads for addBatchParallel (Node: createScanPool of @cvf/core/node); the graph then lives in shared memory. */
  readonly pool?: ScanPool;
}

export interface HnswSearchOptions extends SearchOptions {
  readonly efSearch?: number;
}

function positiveInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new IndexError('INDEX_INVALID_ARGUMENT', `${name} = ${value} must be an integer in [${min}, ${max}]`);
  return value;
}

/**
 * Hierarchical navigable small-world graph (Malkov & Yashunin), written here in TypeScript over
 * typed arrays — no object per node — so the same code runs in Node and in the browser, persists
 * as plain arrays, and filters inside the search. Vectors are rows in the index's linear memory;
 * the distances of a node's neighbours are computed in one call of the SIMD `gather_keys` kernel.
 *
 * Internally every comparison is a key, larger = closer: q·x for dot/cosine, q·x − ‖x‖²/2 for l2
 * (so ‖q − x‖² = ‖q‖² − 2·key). Deletes are tombstones: deleted nodes keep routing the search
 * but never appear in results; an update is a delete plus an insert under the same id.
 *
 * This class composes the parts: the memory layout (hnsw-layout.ts), insertion (hnsw-build.ts)
 * and insertion on a pool's threads (parallel-build.ts), the graph walks (hnsw-search.ts),
 * persistence (hnsw-snapshot.ts), and the slot table that maps nodes to ids and metadata.
 */
export class HnswIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  readonly dim: number;
  readonly metric: VectorMetric;
  readonly M: number;
  readonly M0: number;
  readonly efConstruction: number;
  efSearch: number;
  readonly #layout: HnswLayout;
  readonly #search: HnswSearch;
  readonly #build: HnswBuild;
  /** Node ↔ id, metadata, filters and exact rescoring; a deleted node keeps its id, unmapped. */
  readonly #table: SlotTable;
  /** A node's row as a view, for exact rescoring. */
  readonly #readRow: SlotReader = (node) => this.#layout.row(node);
  /** The query being searched, as stored (unit for cosine); reused across searches. */
  readonly #queryScratch: Float32Array;
  readonly #pool: ScanPool | undefined;

  static async create(options: HnswIndexOptions): Promise<HnswIndex> {
    checkDim(options.dim);
    checkMetric(options.metric);
    const M = positiveInteger('M', options.M ?? 16, 2, 128);
    positiveInteger('efConstruction', options.efConstruction ?? 200, 1, 100000);
    positiveInteger('efSearch', options.efSearch ?? 64, 1, 100000);
    positiveInteger('seed', options.seed ?? 100, 0, 2 ** 32 - 1);
    // The scans of the flat kinds are not used here: insert is never called.
    const set = await createKernelSet(options.dim, () => -Infinity, options.backend, (options.pool?.threads ?? 1) > 1, nodeBlockBytes(options.dim, M));
    return new HnswIndex(options, M, set);
  }

  private constructor(options: HnswIndexOptions, M: number, set: KernelSet) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.M = M;
    this.M0 = 2 * M;
    this.efConstruction = options.efConstruction ?? 200;
    this.efSearch = options.efSearch ?? 64;
    this.#layout = new HnswLayout(options.dim, options.metric, M, set);
    this.#search = new HnswSearch(this.#layout);
    this.#build = new HnswBuild(this.#layout, this.#search, this.efConstruction, options.seed ?? 100);
    this.#table = new SlotTable(options.dim, options.metric);
    this.#queryScratch = new Float32Array(options.dim);
    this.#pool = options.pool;
  }

  /** Whether addBatchParallel runs on the pool: it has workers that insert, over shared memory. */
  get #parallel(): boolean {
    return this.#layout.set.memory.wasm !== null && this.#pool?.insertGraph !== undefined && this.#pool.threads > 1;
  }

  /**
   * Threads addBatchParallel inserts on: the pool's where the graph is in shared memory, else 1. A
   * page's pool (callerMayWait false) inserts on its workers only, the page coordinating.
   */
  get threads(): number {
    if (!this.#parallel) return 1;
    return this.#pool!.callerMayWait === false ? this.#pool!.threads - 1 : this.#pool!.threads;
  }

  get backend(): KernelBackend {
    return this.#layout.set.backend;
  }

  get size(): number {
    return this.#table.size;
  }

  /** Nodes in the graph, deleted ones included. */
  get nodes(): number {
    return this.#layout.nodes;
  }

  #reserve(needed: number): void {
    if (this.#layout.reserve(needed)) this.#table.reserve(this.#layout.capacity);
  }

  // ---- mutation -------------------------------------------------------------------------------

  add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void {
    this.addBatch([id], vector, metadata === undefined ? undefined : [metadata]);
  }

  addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): void {
    const first = this.#place(ids, vectors, metadata);
    for (let node = first; node < this.#layout.nodes; node++) this.#build.insert(node, this.#layout.levels[node]!);
  }

  /**
   * addBatch on the pool's threads (see `threads`): the rows' levels are drawn as addBatch draws
   * them, then every thread inserts nodes taken in turn. The graph differs from run to run (which
   * thread links first varies) but searches as well as addBatch's. On one thread it is addBatch.
   */
  async addBatchParallel(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): Promise<void> {
    const pool = this.#pool;
    if (!this.#parallel || !pool?.insertGraph) return this.addBatch(ids, vectors, metadata);
    const first = this.#place(ids, vectors, metadata);
    const threads = { threads: pool.threads, callerMayWait: pool.callerMayWait !== false, insertGraph: (task: GraphInsertTask, worker: number) => pool.insertGraph!(task, worker) };
    await insertInParallel(this.#layout, this.#build, threads, memoryKey(this.#layout.set.memory), first, this.#layout.nodes);
  }

  /** Writes checked rows as new nodes with their ids, metadata, levels and empty lists; returns the first node. */
  #place(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): number {
    const rows = this.#table.checkAdd(ids, vectors, metadata);
    const L = this.#layout;
    this.#reserve(L.nodes + rows);
    const first = L.nodes;
    const stored = new Float32Array(this.dim);
    for (let r = 0; r < rows; r++) {
      const node = L.nodes++;
      storedVector(this.metric, vectors, r * this.dim, this.dim, stored);
      L.writeRow(node, stored);
      L.deleted[node] = 0;
      this.#table.assign(node, ids[r]!, metadata?.[r]);
      this.#build.place(node, this.#build.drawLevel());
    }
    return first;
  }

  update(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void {
    const node = this.#table.checkUpdate(id, vector, metadata);
    const kept = metadata ?? this.#table.metadata.get(node);
    this.delete(id);
    this.add(id, vector, kept);
  }

  delete(id: number): boolean {
    const node = this.#table.release(id);
    if (node === undefined) return false;
    this.#layout.deleted[node] = 1;
    return true;
  }

  // ---- reads ----------------------------------------------------------------------------------

  has(id: number): boolean {
    return this.#table.has(id);
  }

  getVector(id: number): Float32Array {
    return this.#layout.row(this.#table.slot(id)).slice();
  }

  getMetadata(id: number): VectorMetadata | undefined {
    return this.#table.getMetadata(id);
  }

  ids(): Int32Array {
    return this.#table.ids(this.#layout.nodes);
  }

  matcher(filter: MetadataFilter): (id: number) => boolean {
    return this.#table.matcher(filter);
  }

  score(query: ArrayLike<number>, ids: ArrayLike<number>): Float64Array {
    return this.#table.score(query, ids, this.#readRow);
  }

  memory(): MemoryEstimate {
    return this.#layout.memory(this.#table.idBytes(), this.#table.metadata.bytes());
  }

  // ---- search ---------------------------------------------------------------------------------

  search(query: ArrayLike<number>, options: HnswSearchOptions): SearchHit[] {
    checkVector(query, this.dim, 'query');
    return this.#searchMany(query, 1, options)[0]!;
  }

  searchBatch(queries: ArrayLike<number>, options: HnswSearchOptions): SearchHit[][] {
    return this.#searchMany(queries, checkRows(queries, this.dim, 'queries'), options);
  }

  #searchMany(queries: ArrayLike<number>, m: number, options: HnswSearchOptions): SearchHit[][] {
    if (options === null || typeof options !== 'object') throw new IndexError('INDEX_INVALID_ARGUMENT', 'search options must be an object with k (and optionally filter, efSearch)');
    checkK(options.k);
    const ef = Math.max(options.k, positiveInteger('efSearch', options.efSearch ?? this.efSearch, 1, 100000));
    const allowed = options.filter === undefined ? null : this.#search.allow(this.#table.filter(options.filter));
    const results: SearchHit[][] = [];
    const stored = this.#queryScratch;
    for (let q = 0; q < m; q++) {
      storedVector(this.metric, queries, q * this.dim, this.dim, stored);
      results.push(this.#searchOne(stored, options.k, ef, allowed));
    }
    return results;
  }

  #searchOne(stored: Float32Array, k: number, ef: number, allowed: { count: number } | null): SearchHit[] {
    if (this.#table.size === 0 || (allowed && allowed.count === 0)) return [];
    const { nodes, keys, count } = this.#search.nearest(stored, k, ef, allowed);
    // For dot and cosine the key is the score (the f32 product the walk ranked by, best first);
    // an l2 key is q·x − ‖x‖²/2, so distances are recomputed exactly rather than derived from it.
    if (this.metric === 'l2') return this.#table.rescore(stored, nodes.subarray(0, count), this.#readRow);
    const hits: SearchHit[] = [];
    for (let i = 0; i < count; i++) hits.push({ id: this.#table.idAt(nodes[i]!), score: keys[i]! });
    return hits;
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** Everything that rebuilds this graph exactly, as plain arrays (see persistence). */
  snapshot(): HnswSnapshot {
    const L = this.#layout;
    const graph = graphArrays(L);
    const table = this.#table.snapshot(L.nodes);
    return {
      params: { M: this.M, efConstruction: this.efConstruction, efSearch: this.efSearch, rng: this.#build.rng, entry: L.entry, maxLevel: L.maxLevel, nodes: L.nodes },
      ...graph,
      ids: table.ids,
      metadata: table.metadata,
    };
  }

  static async fromSnapshot(options: { dim: number; metric: VectorMetric; backend?: KernelBackend }, s: HnswSnapshot): Promise<HnswIndex> {
    const p = s.params;
    const index = await HnswIndex.create({ dim: options.dim, metric: options.metric, M: p.M, efConstruction: p.efConstruction, efSearch: p.efSearch, ...(options.backend ? { backend: options.backend } : {}) });
    checkSnapshot(s, options.dim);
    index.#reserve(p.nodes);
    restoreGraph(index.#layout, s);
    index.#build.rng = p.rng >>> 0;
    index.#table.restore(s.ids, s.metadata, (id) => corruptGraph(`id ${id} repeats or is invalid`), (node) => s.deleted[node] !== 1);
    return index;
  }
}
