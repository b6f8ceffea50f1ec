import type { KernelSet } from '../kernel-set.js';
import type { MemoryEstimate, VectorMetric } from '../types.js';

/** Highest level a node may draw (levels are stored as u8). */
export const MAX_LEVEL = 30;

/**
 * Where a node block's row starts: after the layer-0 link count and M0 = 2·M links, padded to 16
 * bytes with at least 4 bytes to spare for the copy of the row's bias (see writeRow).
 */
function rowOffsetOf(M: number): number {
  return Math.ceil((8 + 8 * M) / 16) * 16;
}

/** Bytes of a node block (HnswLayout.stride): header, then the row padded to a multiple of 4 floats. */
export function nodeBlockBytes(dim: number, M: number): number {
  return rowOffsetOf(M) + Math.ceil(dim / 4) * 16;
}

/**
 * Where an HNSW graph lives: named regions of the index's linear memory, laid out for the
 * kernels, plus the per-node levels and the entry point.
 *
 * - blocks: one block of `stride` bytes per node — layer-0 link count and up to M0 links (padded
 *   to 16 bytes), then the row padded to a multiple of 4 floats — so expanding a node and scoring
 *   it touch neighbouring cache lines.
 * - bias: each row's key bias (−‖x‖²/2 for l2, else 0); key = q·x + bias, larger = closer.
 * - upperOffsets / upper: node n's upper layers, level·(M + 1) ints from upper[upperOffsets[n]]
 *   (count, then up to M links, per level); −1 for a node on layer 0 only.
 * - visited (u16 epochs), deleted (u8 tombstones), mask (u8 filter passes), the search heaps,
 *   and the kernels' query, id list and key output.
 *
 * Typed-array views and pointers are taken again (`views()`) whenever the memory moves.
 */
export class HnswLayout {
  readonly dim: number;
  readonly metric: VectorMetric;
  readonly M: number;
  readonly M0: number;
  readonly set: KernelSet;
  /** Bytes of a node block: layer-0 link count and links (padded to 16), then the padded row. */
  readonly stride: number;
  /** Where a block's row starts. */
  readonly rowOffset: number;
  readonly #gatherKernel: KernelSet['kernels']['gather_keys'];
  nodes = 0;
  capacity = 0;
  levels = new Uint8Array(0);
  upperUsed = 0;
  entry = -1;
  maxLevel = -1;
  #epoch = 0;
  // Views on the linear memory.
  upperOffset: Int32Array = new Int32Array(0);
  upper: Int32Array = new Int32Array(0);
  queryView: Float32Array = new Float32Array(0);
  /** The node blocks as i32 (counts, links) and as f32 (rows). */
  blocks: Int32Array = new Int32Array(0);
  blockFloats: Float32Array = new Float32Array(0);
  visited: Uint16Array = new Uint16Array(0);
  deleted: Uint8Array = new Uint8Array(0);
  mask: Uint8Array = new Uint8Array(0);
  gatherIds: Int32Array = new Int32Array(0);
  gatherKeys: Float32Array = new Float32Array(0);
  bias: Float32Array = new Float32Array(0);
  rowsPtr = 0;
  biasPtr = 0;
  idsPtr = 0;
  keysPtr = 0;
  queryPtr = 0;
  blocksPtr = 0;
  upperOffsetsPtr = 0;
  upperPtr = 0;
  visitedPtr = 0;
  deletedPtr = 0;
  maskPtr = 0;
  candidatesPtr = 0;
  resultsPtr = 0;

  constructor(dim: number, metric: VectorMetric, M: number, set: KernelSet) {
    this.dim = dim;
    this.metric = metric;
    this.M = M;
    this.M0 = 2 * M;
    this.set = set;
    this.#gatherKernel = set.kernels.gather_keys;
    this.rowOffset = rowOffsetOf(M);
    this.stride = nodeBlockBytes(dim, M);
    set.memory.declare('blocks', 'bias', 'upperOffsets', 'visited', 'deleted', 'mask', 'candidates', 'upper', 'query', 'gatherIds', 'gatherKeys', 'results');
    set.memory.resize('query', Math.ceil(dim / 4) * 16);
    set.memory.resize('gatherIds', Math.max(this.M0 + 1, 1024) * 4);
    set.memory.resize('gatherKeys', Math.max(this.M0 + 1, 1024) * 4);
    this.views();
  }

  views(): void {
    const memory = this.set.memory;
    this.gatherIds = memory.i32('gatherIds');
    this.gatherKeys = memory.f32('gatherKeys');
    this.bias = memory.f32('bias');
    this.blocksPtr = memory.ptr('blocks');
    this.rowsPtr = this.blocksPtr + this.rowOffset;
    this.biasPtr = memory.ptr('bias');
    this.idsPtr = memory.ptr('gatherIds');
    this.keysPtr = memory.ptr('gatherKeys');
    this.queryPtr = memory.ptr('query');
    this.queryView = memory.f32('query');
    this.blocks = memory.i32('blocks');
    this.upperOffset = memory.i32('upperOffsets');
    this.upper = memory.i32('upper');
    this.upperOffsetsPtr = memory.ptr('upperOffsets');
    this.upperPtr = memory.ptr('upper');
    this.blockFloats = memory.f32('blocks');
    this.visited = memory.u16('visited');
    this.deleted = memory.u8('deleted');
    this.mask = memory.u8('mask');
    this.visitedPtr = memory.ptr('visited');
    this.deletedPtr = memory.ptr('deleted');
    this.maskPtr = memory.ptr('mask');
    this.candidatesPtr = memory.ptr('candidates');
    this.resultsPtr = memory.ptr('results');
  }

  /** Grows every per-node region to hold `needed` nodes (at least doubling); true when it grew. */
  reserve(needed: number): boolean {
    if (needed <= this.capacity) return false;
    const capacity = Math.max(needed, this.capacity * 2, 64);
    const levels = new Uint8Array(capacity);
    levels.set(this.levels);
    this.levels = levels;
    const memory = this.set.memory;
    memory.resize('blocks', capacity * this.stride);
    memory.resize('upperOffsets', capacity * 4);
    memory.resize('bias', capacity * 4);
    memory.resize('visited', capacity * 2);
    memory.resize('deleted', capacity);
    memory.resize('mask', capacity);
    // Each node enters the candidate heap at most once per search.
    memory.resize('candidates', (capacity + 1) * 8);
    memory.u16('visited').fill(0);
    this.#epoch = 0;
    this.capacity = capacity;
    this.views();
    return true;
  }

  /** Room for a layer-0 search keeping `ef` results in the 'results' heap. */
  reserveResults(ef: number): void {
    const memory = this.set.memory;
    if (memory.size('results') < (ef + 1) * 8) {
      memory.reserve('results', (ef + 1) * 8);
      this.views();
    }
  }

  /** Room for `ints` upper-layer ints in the 'upper' region. */
  reserveUpper(ints: number): void {
    this.set.memory.reserve('upper', Math.max(ints, 1024) * 4);
    this.views();
  }

  nextEpoch(): number {
    if (this.#epoch === 0xffff) {
      this.visited.fill(0);
      this.#epoch = 0;
    }
    return ++this.#epoch;
  }

  // ---- nodes ----------------------------------------------------------------------------------

  rowPtr(node: number): number {
    return this.rowsPtr + node * this.stride;
  }

  /** Index (in f32/i32 units) of a node's row, and of its link count (links follow). */
  rowAt(node: number): number {
    return (node * this.stride + this.rowOffset) >>> 2;
  }

  countAt(node: number): number {
    return (node * this.stride) >>> 2;
  }

  /** A node's row as a view of `dim` floats. */
  row(node: number): Float32Array {
    const at = this.rowAt(node);
    return this.blockFloats.subarray(at, at + this.dim);
  }

  /** Writes a stored vector into a node's row (zero padding) and its key bias. */
  writeRow(node: number, stored: ArrayLike<number>): void {
    const at = this.rowAt(node);
    const rows = this.blockFloats;
    rows.fill(0, at, at + ((this.stride - this.rowOffset) >>> 2));
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      rows[at + j] = stored[j]!;
      sum += stored[j]! * stored[j]!;
    }
    const bias = this.metric === 'l2' ? Math.fround(-sum / 2) : 0;
    this.bias[node] = bias;
    // A copy in the block's padding, just before the row: the layer-0 walk reads it with the row
    // instead of from a separate array (one cache miss less per scored node).
    rows[at - 1] = bias;
  }

  /** Gives a new node its upper-layer lists (empty), or none on layer 0. */
  allocateUpper(node: number, level: number): void {
    if (level === 0) {
      this.upperOffset[node] = -1;
      return;
    }
    const size = level * (this.M + 1);
    if (this.upperUsed + size > this.upper.length) this.reserveUpper(this.upperUsed + size);
    this.upperOffset[node] = this.upperUsed;
    this.upper.fill(0, this.upperUsed, this.upperUsed + size);
    this.upperUsed += size;
  }

  /** Where node's list on an upper level starts in `upper` (its count; links follow). */
  upperAt(node: number, level: number): number {
    return this.upperOffset[node]! + (level - 1) * (this.M + 1);
  }

  /** Sets a node's list on a level to the first `count` of `links` (links before the count). */
  setLinks(node: number, level: number, links: Int32Array, count: number): void {
    const list = level === 0 ? this.blocks : this.upper;
    const at = level === 0 ? this.countAt(node) : this.upperAt(node, level);
    list.set(links.subarray(0, count), at + 1);
    list[at] = count;
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Keys of the first `count` ids in gatherIds against the vector at `queryPtr`, into gatherKeys. */
  gather(queryPtr: number, count: number): void {
    this.#gatherKernel(this.rowsPtr, this.stride, queryPtr, this.idsPtr, count, this.biasPtr, this.keysPtr);
  }

  keyOf(queryPtr: number, node: number): number {
    this.gatherIds[0] = node;
    this.gather(queryPtr, 1);
    return this.gatherKeys[0]!;
  }

  /** Distance from a point with self term `self` (‖p‖² for l2) to a node with key `key` against it. */
  distance(self: number, key: number): number {
    return this.metric === 'l2' ? self - 2 * key : -key;
  }

  self(node: number): number {
    return -2 * this.bias[node]!;
  }

  /** The graph's share of an index's memory; the slot table adds `ids` and `metadata` bytes. */
  memory(ids: number, metadata: number): MemoryEstimate {
    const memory = this.set.memory;
    // The node blocks hold the rows (vectors) and the layer-0 links (graph).
    const vectors = this.capacity * (this.stride - this.rowOffset);
    const codes = memory.size('bias');
    const graph = this.capacity * this.rowOffset + this.levels.byteLength + memory.size('upperOffsets') + memory.size('upper');
    const idBytes = ids + this.deleted.byteLength;
    const scratch = memory.bytesOf((name) => ['visited', 'mask', 'candidates', 'results', 'query', 'gatherIds', 'gatherKeys'].includes(name));
    return { total: vectors + codes + graph + idBytes + metadata + scratch, vectors, codes, graph, ids: idBytes, metadata, scratch };
  }
}
