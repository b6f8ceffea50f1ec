import { IndexError } from '../../errors.js';
import type { MetadataFilter } from '../filter.js';
import { createKernelSet, type KernelBackend, type KernelSet } from '../kernel-set.js';
import type { MetadataSnapshot, VectorMetadata } from '../metadata-store.js';
import { checkDim, checkK, checkMetric, checkRows, checkVector, storedVector } from '../metric.js';
import { SlotTable, type SlotReader } from '../slot-table.js';
import type { MemoryEstimate, VectorMetric, SearchHit, SearchOptions, VectorIndex } from '../types.js';
import { KeyHeap } from './key-heap.js';

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
}

export interface HnswSearchOptions extends SearchOptions {
  readonly efSearch?: number;
}

const MAX_LEVEL = 30;

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
 */
export class HnswIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  readonly dim: number;
  readonly metric: VectorMetric;
  readonly M: number;
  readonly M0: number;
  readonly efConstruction: number;
  efSearch: number;
  readonly #set: KernelSet;
  readonly #gatherKernel: KernelSet['kernels']['gather_keys'];
  readonly #searchKernel: KernelSet['kernels']['search_layer0'];
  readonly #descendKernel: KernelSet['kernels']['search_upper'];
  /** Bytes of a node block: layer-0 link count and links (padded to 16), then the padded row. */
  readonly #stride: number;
  /** Where a block's row starts. */
  readonly #rowOffset: number;
  readonly #levelFactor: number;
  #rng: number;
  #nodes = 0;
  #capacity = 0;
  #levels = new Uint8Array(0);
  /** Upper-layer links, in the linear memory (views): node n's block of level·(M + 1) ints starts at #upper[#upperOffset[n]]. */
  #upperOffset: Int32Array = new Int32Array(0);
  #upper: Int32Array = new Int32Array(0);
  #upperUsed = 0;
  /** Node ↔ id, metadata, filters and exact rescoring; a deleted node keeps its id, unmapped. */
  readonly #table: SlotTable;
  /** A node's row as a view, for exact rescoring. */
  readonly #readRow: SlotReader = (node) => this.#blockFloats.subarray(this.#rowAt(node), this.#rowAt(node) + this.dim);
  #epoch = 0;
  #entry = -1;
  #maxLevel = -1;
  readonly #candidates = new KeyHeap();
  readonly #results = new KeyHeap();
  // Views on the linear memory — layer-0 links and counts, visit marks, deletion marks, the
  // filter mask, the kernels' id list and key output — taken again whenever the memory moves.
  #queryView: Float32Array = new Float32Array(0);
  /** The node blocks as i32 (counts, links) and as f32 (rows). */
  #blocks: Int32Array = new Int32Array(0);
  #blockFloats: Float32Array = new Float32Array(0);
  #visited: Uint16Array = new Uint16Array(0);
  #deleted: Uint8Array = new Uint8Array(0);
  #mask: Uint8Array = new Uint8Array(0);
  #gatherIds: Int32Array = new Int32Array(0);
  #gatherKeys: Float32Array = new Float32Array(0);
  #bias: Float32Array = new Float32Array(0);
  #rowsPtr = 0;
  #biasPtr = 0;
  #idsPtr = 0;
  #keysPtr = 0;
  #queryPtr = 0;
  #blocksPtr = 0;
  #upperOffsetsPtr = 0;
  #upperPtr = 0;
  #visitedPtr = 0;
  #deletedPtr = 0;
  #maskPtr = 0;
  #candidatesPtr = 0;
  #resultsPtr = 0;

  static async create(options: HnswIndexOptions): Promise<HnswIndex> {
    checkDim(options.dim);
    checkMetric(options.metric);
    const M = positiveInteger('M', options.M ?? 16, 2, 128);
    positiveInteger('efConstruction', options.efConstruction ?? 200, 1, 100000);
    positiveInteger('efSearch', options.efSearch ?? 64, 1, 100000);
    positiveInteger('seed', options.seed ?? 100, 0, 2 ** 32 - 1);
    // The scans of the flat kinds are not used here: insert is never called.
    const set = await createKernelSet(options.dim, () => -Infinity, options.backend);
    return new HnswIndex(options, M, set);
  }

  private constructor(options: HnswIndexOptions, M: number, set: KernelSet) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.M = M;
    this.M0 = 2 * M;
    this.efConstruction = options.efConstruction ?? 200;
    this.efSearch = options.efSearch ?? 64;
    this.#rng = (options.seed ?? 100) >>> 0;
    this.#levelFactor = 1 / Math.log(M);
    this.#set = set;
    this.#table = new SlotTable(options.dim, options.metric);
    this.#gatherKernel = set.kernels.gather_keys;
    this.#searchKernel = set.kernels.search_layer0;
    this.#descendKernel = set.kernels.search_upper;
    this.#rowOffset = Math.ceil((4 + 4 * this.M0) / 16) * 16;
    this.#stride = this.#rowOffset + Math.ceil(options.dim / 4) * 16;
    this.#queryScratch = new Float32Array(options.dim);
    set.memory.declare('blocks', 'bias', 'upperOffsets', 'visited', 'deleted', 'mask', 'candidates', 'upper', 'query', 'gatherIds', 'gatherKeys', 'results');
    set.memory.resize('query', Math.ceil(options.dim / 4) * 16);
    set.memory.resize('gatherIds', Math.max(this.M0 + 1, 1024) * 4);
    set.memory.resize('gatherKeys', Math.max(this.M0 + 1, 1024) * 4);
    this.#views();
  }

  get backend(): KernelBackend {
    return this.#set.backend;
  }

  get size(): number {
    return this.#table.size;
  }

  /** Nodes in the graph, deleted ones included. */
  get nodes(): number {
    return this.#nodes;
  }

  #views(): void {
    const memory = this.#set.memory;
    this.#gatherIds = memory.i32('gatherIds');
    this.#gatherKeys = memory.f32('gatherKeys');
    this.#bias = memory.f32('bias');
    this.#blocksPtr = memory.ptr('blocks');
    this.#rowsPtr = this.#blocksPtr + this.#rowOffset;
    this.#biasPtr = memory.ptr('bias');
    this.#idsPtr = memory.ptr('gatherIds');
    this.#keysPtr = memory.ptr('gatherKeys');
    this.#queryPtr = memory.ptr('query');
    this.#queryView = memory.f32('query');
    this.#blocks = memory.i32('blocks');
    this.#upperOffset = memory.i32('upperOffsets');
    this.#upper = memory.i32('upper');
    this.#upperOffsetsPtr = memory.ptr('upperOffsets');
    this.#upperPtr = memory.ptr('upper');
    this.#blockFloats = memory.f32('blocks');
    this.#visited = memory.u16('visited');
    this.#deleted = memory.u8('deleted');
    this.#mask = memory.u8('mask');
    this.#visitedPtr = memory.ptr('visited');
    this.#deletedPtr = memory.ptr('deleted');
    this.#maskPtr = memory.ptr('mask');
    this.#candidatesPtr = memory.ptr('candidates');
    this.#resultsPtr = memory.ptr('results');
  }

  // ---- storage --------------------------------------------------------------------------------

  #reserve(needed: number): void {
    if (needed <= this.#capacity) return;
    const capacity = Math.max(needed, this.#capacity * 2, 64);
    const grow = <T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(old: T, length: number, make: (n: number) => T): T => {
      const next = make(length);
      next.set(old as never);
      return next;
    };
    this.#levels = grow(this.#levels, capacity, (n) => new Uint8Array(n));
    this.#table.reserve(capacity);
    const memory = this.#set.memory;
    memory.resize('blocks', capacity * this.#stride);
    memory.resize('upperOffsets', capacity * 4);
    memory.resize('bias', capacity * 4);
    memory.resize('visited', capacity * 2);
    memory.resize('deleted', capacity);
    memory.resize('mask', capacity);
    // Each node enters the candidate heap at most once per search.
    memory.resize('candidates', (capacity + 1) * 8);
    memory.u16('visited').fill(0);
    this.#epoch = 0;
    this.#capacity = capacity;
    this.#views();
  }

  #rowPtr(node: number): number {
    return this.#rowsPtr + node * this.#stride;
  }

  #random(): number {
    // mulberry32, kept here so its state persists with the index.
    let t = (this.#rng = (this.#rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  #randomLevel(): number {
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.#random()) * this.#levelFactor));
  }

  #allocateUpper(node: number, level: number): void {
    if (level === 0) {
      this.#upperOffset[node] = -1;
      return;
    }
    const size = level * (this.M + 1);
    if (this.#upperUsed + size > this.#upper.length) {
      this.#set.memory.reserve('upper', Math.max(this.#upperUsed + size, 1024) * 4);
      this.#views();
    }
    this.#upperOffset[node] = this.#upperUsed;
    this.#upper.fill(0, this.#upperUsed, this.#upperUsed + size);
    this.#upperUsed += size;
  }

  /** Index (in f32/i32 units) of a node's row, and of its link count (links follow). */
  #rowAt(node: number): number {
    return (node * this.#stride + this.#rowOffset) >>> 2;
  }

  #countAt(node: number): number {
    return (node * this.#stride) >>> 2;
  }

  /** Writes a stored vector into a node's row (zero padding) and its key bias. */
  #writeRow(node: number, stored: ArrayLike<number>): void {
    const at = this.#rowAt(node);
    const rows = this.#blockFloats;
    rows.fill(0, at, at + ((this.#stride - this.#rowOffset) >>> 2));
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      rows[at + j] = stored[j]!;
      sum += stored[j]! * stored[j]!;
    }
    this.#bias[node] = this.metric === 'l2' ? Math.fround(-sum / 2) : 0;
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Keys of the first `count` ids in #gatherIds against the vector at `queryPtr`, into #gatherKeys. */
  #gather(queryPtr: number, count: number): void {
    this.#gatherKernel(this.#rowsPtr, this.#stride, queryPtr, this.#idsPtr, count, this.#biasPtr, this.#keysPtr);
  }

  #keyOf(queryPtr: number, node: number): number {
    this.#gatherIds[0] = node;
    this.#gather(queryPtr, 1);
    return this.#gatherKeys[0]!;
  }

  /** Distance from a point with self term `self` (‖p‖² for l2) to a node with key `key` against it. */
  #distance(self: number, key: number): number {
    return this.metric === 'l2' ? self - 2 * key : -key;
  }

  #self(node: number): number {
    return -2 * this.#bias[node]!;
  }

  #nextEpoch(): number {
    if (this.#epoch === 0xffff) {
      this.#visited.fill(0);
      this.#epoch = 0;
    }
    return ++this.#epoch;
  }

  // ---- graph walks ----------------------------------------------------------------------------

  /**
   * Greedy descent through layers top..bottom (the `search_upper` kernel): returns the node
   * reached; its key is left in #walkKey.
   */
  #walkKey = 0;
  /** The query being searched, as stored (unit for cosine); reused across searches. */
  readonly #queryScratch: Float32Array = new Float32Array(0);
  #descend(queryPtr: number, start: number, startKey: number, top: number, bottom: number): number {
    if (top < bottom) {
      this.#walkKey = startKey;
      return start;
    }
    const node = this.#descendKernel(queryPtr, start, startKey, top, bottom, this.#upperOffsetsPtr, this.#upperPtr, this.M + 1, this.#rowsPtr, this.#stride, this.#biasPtr, this.#keysPtr);
    this.#walkKey = this.#gatherKeys[0]!;
    return node;
  }

  /**
   * Best-first search of one layer from one entry point, keeping `ef` results; returns them best
   * first (equal keys by node). `want` picks the results: −1 every node (construction), 0 live
   * nodes, 1 nodes the filter mask passes. Every node is walked either way, so neither deletions
   * nor a filter cut the graph. Layer 0 runs in the `search_layer0` kernel.
   */
  #searchLayer(queryPtr: number, entry: number, entryKey: number, ef: number, level: number, want: -1 | 0 | 1, keep = ef): { nodes: Int32Array; keys: Float64Array } {
    if (level === 0) {
      const memory = this.#set.memory;
      if (memory.size('results') < (ef + 1) * 8) {
        memory.reserve('results', (ef + 1) * 8);
        this.#views();
      }
      const flags = want === 1 ? this.#maskPtr : this.#deletedPtr;
      const count = this.#searchKernel(queryPtr, entry, entryKey, ef, this.#nextEpoch(), this.#blocksPtr + 4, this.#blocksPtr, this.#stride, this.#visitedPtr, this.#rowsPtr, this.#biasPtr, flags, want, this.#candidatesPtr, this.#resultsPtr, this.#idsPtr, this.#keysPtr);
      return drainMinHeap(new Float32Array(memory.buffer, this.#resultsPtr, count * 2), new Int32Array(memory.buffer, this.#resultsPtr, count * 2), count, keep);
    }
    const candidates = this.#candidates;
    const results = this.#results;
    candidates.clear();
    results.clear();
    const visited = this.#visited;
    const epoch = this.#nextEpoch();
    const ids = this.#gatherIds;
    const keys = this.#gatherKeys;
    const upper = this.#upper;
    visited[entry] = epoch;
    candidates.push(entryKey, entry);
    results.push(-entryKey, entry);
    let lower = -results.topKey();
    while (candidates.size > 0) {
      const bestKey = candidates.topKey();
      if (bestKey < lower && results.size >= ef) break;
      const node = candidates.topNode();
      candidates.pop();
      let n = 0;
      const offset = this.#upperOffset[node]! + (level - 1) * (this.M + 1);
      const count = upper[offset]!;
      for (let i = 0; i < count; i++) {
        const e = upper[offset + 1 + i]!;
        if (visited[e] !== epoch) {
          visited[e] = epoch;
          ids[n++] = e;
        }
      }
      if (n === 0) continue;
      this.#gather(queryPtr, n);
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        if (results.size < ef || key > lower) {
          const e = ids[i]!;
          candidates.push(key, e);
          results.push(-key, e);
          if (results.size > ef) results.pop();
          lower = -results.topKey();
        }
      }
    }
    return drainKeyHeap(results);
  }

  // ---- insertion ------------------------------------------------------------------------------

  #insert(node: number): void {
    const level = this.#randomLevel();
    this.#levels[node] = level;
    this.#allocateUpper(node, level);
    this.#blocks[this.#countAt(node)] = 0;
    if (this.#entry < 0) {
      this.#entry = node;
      this.#maxLevel = level;
      return;
    }
    const queryPtr = this.#rowPtr(node);
    const self = this.#self(node);
    let current = this.#entry;
    let currentKey = this.#keyOf(queryPtr, current);
    current = this.#descend(queryPtr, current, currentKey, this.#maxLevel, level + 1);
    currentKey = this.#walkKey;
    for (let lc = Math.min(level, this.#maxLevel); lc >= 0; lc--) {
      const { nodes, keys } = this.#searchLayer(queryPtr, current, currentKey, this.efConstruction, lc, -1);
      const selected = this.#selectNeighbours(nodes, keys, self, this.M);
      this.#setLinks(node, lc, selected);
      for (const e of selected) this.#connect(e, node, lc);
      current = nodes[0]!;
      currentKey = keys[0]!;
    }
    if (level > this.#maxLevel) {
      this.#entry = node;
      this.#maxLevel = level;
    }
  }

  /**
   * The neighbour-selection heuristic (Malkov & Yashunin, algorithm 4): walk candidates from the
   * closest, keep one unless it is closer to an already kept neighbour than to the base point —
   * links then spread in directions instead of clustering.
   */
  #selectNeighbours(nodes: Int32Array, keys: Float64Array, baseSelf: number, max: number): number[] {
    const selected: number[] = [];
    const ids = this.#gatherIds;
    const out = this.#gatherKeys;
    for (let i = 0; i < nodes.length && selected.length < max; i++) {
      const c = nodes[i]!;
      const toBase = this.#distance(baseSelf, keys[i]!);
      for (let s = 0; s < selected.length; s++) ids[s] = selected[s]!;
      this.#gather(this.#rowPtr(c), selected.length);
      const cSelf = this.#self(c);
      let keep = true;
      for (let s = 0; s < selected.length; s++) {
        if (this.#distance(cSelf, out[s]!) < toBase) {
          keep = false;
          break;
        }
      }
      if (keep) selected.push(c);
    }
    return selected;
  }

  #setLinks(node: number, level: number, links: readonly number[]): void {
    if (level === 0) {
      this.#blocks.set(links, this.#countAt(node) + 1);
      this.#blocks[this.#countAt(node)] = links.length;
    } else {
      const offset = this.#upperOffset[node]! + (level - 1) * (this.M + 1);
      this.#upper[offset] = links.length;
      this.#upper.set(links, offset + 1);
    }
  }

  /** Adds `node` to e's links on a layer; a full list is re-selected with the heuristic from e. */
  #connect(e: number, node: number, level: number): void {
    const max = level === 0 ? this.M0 : this.M;
    let links: Int32Array;
    if (level === 0) links = this.#blocks.subarray(this.#countAt(e) + 1, this.#countAt(e) + 1 + this.#blocks[this.#countAt(e)]!);
    else {
      const offset = this.#upperOffset[e]! + (level - 1) * (this.M + 1);
      links = this.#upper.subarray(offset + 1, offset + 1 + this.#upper[offset]!);
    }
    if (links.length < max) {
      this.#setLinks(e, level, [...links, node]);
      return;
    }
    const candidates = [...links, node];
    const ids = this.#gatherIds;
    candidates.forEach((c, i) => (ids[i] = c));
    this.#gather(this.#rowPtr(e), candidates.length);
    const order = candidates.map((c, i) => ({ c, key: this.#gatherKeys[i]! })).sort((a, b) => b.key - a.key);
    const selected = this.#selectNeighbours(Int32Array.from(order, (o) => o.c), Float64Array.from(order, (o) => o.key), this.#self(e), max);
    this.#setLinks(e, level, selected);
  }

  // ---- the VectorIndex surface ----------------------------------------------------------------

  add(id: number, vector: ArrayLike<number>, metadata?: VectorMetadata): void {
    this.addBatch([id], vector, metadata === undefined ? undefined : [metadata]);
  }

  addBatch(ids: ArrayLike<number>, vectors: ArrayLike<number>, metadata?: readonly (VectorMetadata | undefined)[]): void {
    const rows = this.#table.checkAdd(ids, vectors, metadata);
    this.#reserve(this.#nodes + rows);
    const stored = new Float32Array(this.dim);
    for (let r = 0; r < rows; r++) {
      const node = this.#nodes++;
      storedVector(this.metric, vectors, r * this.dim, this.dim, stored);
      this.#writeRow(node, stored);
      this.#deleted[node] = 0;
      this.#table.assign(node, ids[r]!, metadata?.[r]);
      this.#insert(node);
    }
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
    this.#deleted[node] = 1;
    return true;
  }

  has(id: number): boolean {
    return this.#table.has(id);
  }

  getVector(id: number): Float32Array {
    const at = this.#rowAt(this.#table.slot(id));
    return this.#blockFloats.slice(at, at + this.dim);
  }

  getMetadata(id: number): VectorMetadata | undefined {
    return this.#table.getMetadata(id);
  }

  ids(): Int32Array {
    return this.#table.ids(this.#nodes);
  }

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
    const allowed = options.filter === undefined ? null : this.#allowed(options.filter);
    const results: SearchHit[][] = [];
    const stored = this.#queryScratch;
    for (let q = 0; q < m; q++) {
      storedVector(this.metric, queries, q * this.dim, this.dim, stored);
      results.push(this.#searchOne(stored, options.k, ef, allowed));
    }
    return results;
  }

  /** Marks in the 'mask' region which nodes pass a filter (and are live); returns how many. */
  #allowed(filter: MetadataFilter): { count: number } {
    const compiled = this.#table.filter(filter);
    const mask = this.#mask;
    compiled.fillMask(mask, this.#nodes);
    let count = 0;
    for (let node = 0; node < this.#nodes; node++) {
      if (this.#deleted[node] === 1) mask[node] = 0;
      count += mask[node]!;
    }
    return { count };
  }

  #searchOne(stored: Float32Array, k: number, ef: number, allowed: { count: number } | null): SearchHit[] {
    if (this.#table.size === 0 || (allowed && allowed.count === 0)) return [];
    this.#queryView.set(stored);
    const queryPtr = this.#queryPtr;
    let found: { nodes: Int32Array; keys: Float64Array };
    // A filter that passes few nodes makes the graph walk visit ~ef/selectivity nodes: scanning
    // the passing nodes directly is cheaper below ~2·sqrt(ef·n) of them.
    if (allowed && allowed.count < 2 * Math.sqrt(ef * this.#nodes)) found = this.#scanAllowed(queryPtr, k);
    else {
      let current = this.#entry;
      let currentKey = this.#keyOf(queryPtr, current);
      current = this.#descend(queryPtr, current, currentKey, this.#maxLevel, 1);
      currentKey = this.#walkKey;
      found = this.#searchLayer(queryPtr, current, currentKey, ef, 0, allowed ? 1 : 0, k);
    }
    const { nodes, keys } = found;
    // For dot and cosine the key is the score (the f32 product the walk ranked by, best first);
    // an l2 key is q·x − ‖x‖²/2, so distances are recomputed exactly rather than derived from it.
    if (this.metric === 'l2') return this.#table.rescore(stored, nodes, this.#readRow);
    const hits: SearchHit[] = [];
    for (let i = 0; i < nodes.length; i++) hits.push({ id: this.#table.idAt(nodes[i]!), score: keys[i]! });
    return hits;
  }

  /** Exact top-k over the nodes the mask passes. */
  #scanAllowed(queryPtr: number, k: number): { nodes: Int32Array; keys: Float64Array } {
    const results = this.#results;
    results.clear();
    const mask = this.#mask;
    const chunk = this.#gatherIds.length;
    let n = 0;
    const flush = (): void => {
      this.#gather(queryPtr, n);
      for (let i = 0; i < n; i++) {
        const key = this.#gatherKeys[i]!;
        if (results.size < k || key > -results.topKey()) {
          results.push(-key, this.#gatherIds[i]!);
          if (results.size > k) results.pop();
        }
      }
      n = 0;
    };
    for (let node = 0; node < this.#nodes; node++) {
      if (mask[node] !== 1) continue;
      this.#gatherIds[n++] = node;
      if (n === chunk) flush();
    }
    if (n > 0) flush();
    return drainKeyHeap(results);
  }

  matcher(filter: MetadataFilter): (id: number) => boolean {
    return this.#table.matcher(filter);
  }

  score(query: ArrayLike<number>, ids: ArrayLike<number>): Float64Array {
    return this.#table.score(query, ids, this.#readRow);
  }

  memory(): MemoryEstimate {
    const memory = this.#set.memory;
    // The node blocks hold the rows (vectors) and the layer-0 links (graph).
    const vectors = this.#capacity * (this.#stride - this.#rowOffset);
    const codes = memory.size('bias');
    const graph = this.#capacity * this.#rowOffset + this.#levels.byteLength + memory.size('upperOffsets') + memory.size('upper');
    const ids = this.#table.idBytes() + this.#deleted.byteLength;
    const metadata = this.#table.metadata.bytes();
    const scratch = memory.bytesOf((name) => ['visited', 'mask', 'candidates', 'results', 'query', 'gatherIds', 'gatherKeys'].includes(name));
    return { total: vectors + codes + graph + ids + metadata + scratch, vectors, codes, graph, ids, metadata, scratch };
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** Everything that rebuilds this graph exactly, as plain arrays (see persistence). */
  snapshot(): HnswSnapshot {
    const rows = new Float32Array(this.#nodes * this.dim);
    const links0 = new Int32Array(this.#nodes * this.M0);
    const counts0 = new Uint16Array(this.#nodes);
    for (let node = 0; node < this.#nodes; node++) {
      rows.set(this.#blockFloats.subarray(this.#rowAt(node), this.#rowAt(node) + this.dim), node * this.dim);
      counts0[node] = this.#blocks[this.#countAt(node)]!;
      links0.set(this.#blocks.subarray(this.#countAt(node) + 1, this.#countAt(node) + 1 + this.M0), node * this.M0);
    }
    const table = this.#table.snapshot(this.#nodes);
    return {
      params: { M: this.M, efConstruction: this.efConstruction, efSearch: this.efSearch, rng: this.#rng, entry: this.#entry, maxLevel: this.#maxLevel, nodes: this.#nodes },
      rows,
      ids: table.ids,
      deleted: this.#deleted.slice(0, this.#nodes),
      levels: this.#levels.slice(0, this.#nodes),
      links0,
      counts0,
      upperOffset: this.#upperOffset.slice(0, this.#nodes),
      upper: this.#upper.slice(0, this.#upperUsed),
      metadata: table.metadata,
    };
  }

  static async fromSnapshot(options: { dim: number; metric: VectorMetric; backend?: KernelBackend }, s: HnswSnapshot): Promise<HnswIndex> {
    const p = s.params;
    const index = await HnswIndex.create({ dim: options.dim, metric: options.metric, M: p.M, efConstruction: p.efConstruction, efSearch: p.efSearch, ...(options.backend ? { backend: options.backend } : {}) });
    const n = p.nodes;
    const corrupt = (what: string): IndexError => new IndexError('INDEX_CORRUPT', `stored HNSW graph is inconsistent: ${what}`);
    if (s.rows.length !== n * options.dim || s.ids.length !== n || s.deleted.length !== n || s.levels.length !== n || s.links0.length !== n * index.M0 || s.counts0.length !== n || s.upperOffset.length !== n) {
      throw corrupt('array lengths do not match the node count');
    }
    if (n > 0 && (p.entry < 0 || p.entry >= n || p.maxLevel !== s.levels[p.entry])) throw corrupt(`entry point ${p.entry}`);
    index.#reserve(n);
    for (let node = 0; node < n; node++) {
      index.#writeRow(node, s.rows.subarray(node * options.dim, (node + 1) * options.dim));
      if (s.counts0[node]! > index.M0) throw corrupt(`node ${node} has ${s.counts0[node]} links on layer 0`);
      const level = s.levels[node]!;
      const offset = s.upperOffset[node]!;
      if (level > MAX_LEVEL || (level > 0 && (offset < 0 || offset + level * (p.M + 1) > s.upper.length))) throw corrupt(`node ${node} level ${level} links`);
    }
    for (const link of s.links0) if (link < 0 || link >= n) throw corrupt(`link to node ${link}`);
    for (let node = 0; node < n; node++) {
      if (s.levels[node]! === 0) continue;
      for (let level = 1; level <= s.levels[node]!; level++) {
        const at = s.upperOffset[node]! + (level - 1) * (p.M + 1);
        const count = s.upper[at]!;
        if (count > p.M) throw corrupt(`node ${node} has ${count} links on layer ${level}`);
        for (let i = 0; i < count; i++) if (s.upper[at + 1 + i]! < 0 || s.upper[at + 1 + i]! >= n) throw corrupt(`link to node ${s.upper[at + 1 + i]}`);
      }
    }
    index.#levels.set(s.levels);
    for (let node = 0; node < n; node++) {
      index.#blocks[index.#countAt(node)] = s.counts0[node]!;
      index.#blocks.set(s.links0.subarray(node * index.M0, (node + 1) * index.M0), index.#countAt(node) + 1);
    }
    index.#upperOffset.set(s.upperOffset);
    index.#set.memory.reserve('upper', Math.max(s.upper.length, 1024) * 4);
    index.#views();
    index.#upper.set(s.upper);
    index.#upperUsed = s.upper.length;
    index.#deleted.set(s.deleted);
    index.#nodes = n;
    index.#entry = p.entry;
    index.#maxLevel = p.maxLevel;
    index.#rng = p.rng >>> 0;
    index.#table.restore(s.ids, s.metadata, (id) => corrupt(`id ${id} repeats or is invalid`), (node) => s.deleted[node] !== 1);
    return index;
  }
}

export interface HnswSnapshot {
  readonly params: { M: number; efConstruction: number; efSearch: number; rng: number; entry: number; maxLevel: number; nodes: number };
  readonly rows: Float32Array;
  readonly ids: Int32Array;
  readonly deleted: Uint8Array;
  readonly levels: Uint8Array;
  readonly links0: Int32Array;
  readonly counts0: Uint16Array;
  readonly upperOffset: Int32Array;
  readonly upper: Int32Array;
  readonly metadata: MetadataSnapshot;
}

/**
 * Empties a min-heap of (f32 key, i32 node) pairs kept interleaved in memory — the results
 * `search_layer0` leaves — into arrays sorted best first (the heap's pops, last to first).
 */
function drainMinHeap(keys: Float32Array, nodes: Int32Array, count: number, keep = count): { nodes: Int32Array; keys: Float64Array } {
  const kept = Math.min(keep, count);
  const outNodes = new Int32Array(kept);
  const outKeys = new Float64Array(kept);
  let size = count;
  while (size > 0) {
    if (size <= kept) {
      outKeys[size - 1] = keys[0]!;
      outNodes[size - 1] = nodes[1]!;
    }
    size--;
    if (size === 0) break;
    const key = keys[2 * size]!;
    const node = nodes[2 * size + 1]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && keys[2 * right]! < keys[2 * left]! ? right : left;
      if (keys[2 * child]! >= key) break;
      keys[2 * i] = keys[2 * child]!;
      nodes[2 * i + 1] = nodes[2 * child + 1]!;
      i = child;
    }
    keys[2 * i] = key;
    nodes[2 * i + 1] = node;
  }
  return { nodes: outNodes, keys: outKeys };
}

/** Empties a KeyHeap of negated keys (worst on top) into arrays sorted best first. */
function drainKeyHeap(heap: KeyHeap): { nodes: Int32Array; keys: Float64Array } {
  const count = heap.size;
  const nodes = new Int32Array(count);
  const keys = new Float64Array(count);
  for (let i = count - 1; i >= 0; i--) {
    keys[i] = -heap.topKey();
    nodes[i] = heap.topNode();
    heap.pop();
  }
  return { nodes, keys };
}
