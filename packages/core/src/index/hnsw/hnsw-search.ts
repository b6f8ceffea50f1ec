import type { CompiledFilter } from '../filter.js';
import type { KernelSet } from '../kernel-set.js';
import type { HnswLayout } from './hnsw-layout.js';
import { KeyHeap } from './key-heap.js';

/**
 * Nodes found by a search, best first, with their keys: the first `count` of `nodes` and `keys`,
 * arrays the search reuses — valid until its next call.
 */
export interface Found {
  readonly nodes: Int32Array;
  readonly keys: Float64Array;
  readonly count: number;
}

/**
 * The graph walks over an HnswLayout: the greedy descent through the upper layers and the
 * best-first search of one layer (both layer 0 and the descent run as kernels), and a filtered
 * search, which walks the whole graph but keeps only nodes the filter mask passes — or scans the
 * passing nodes directly when there are few of them.
 */
export class HnswSearch {
  readonly #layout: HnswLayout;
  readonly #layer0Kernel: KernelSet['kernels']['search_layer0'];
  readonly #descendKernel: KernelSet['kernels']['search_upper'];
  readonly #candidates = new KeyHeap();
  readonly #results = new KeyHeap();
  /** What searches return (see Found), grown as needed: no allocation per search. */
  #nodesOut = new Int32Array(64);
  #keysOut = new Float64Array(64);
  /** Whole-memory views for reading the results heap the layer-0 kernel leaves, taken again when the memory grows. */
  #buffer: ArrayBufferLike | null = null;
  #f32 = new Float32Array(0);
  #i32 = new Int32Array(0);
  /** The key of the node the last `descend` reached. */
  walkKey = 0;

  constructor(layout: HnswLayout) {
    this.#layout = layout;
    this.#layer0Kernel = layout.set.kernels.search_layer0;
    this.#descendKernel = layout.set.kernels.search_upper;
  }

  /**
   * Greedy descent through layers top..bottom (the `search_upper` kernel): returns the node
   * reached; its key is left in walkKey.
   */
  descend(queryPtr: number, start: number, startKey: number, top: number, bottom: number): number {
    if (top < bottom) {
      this.walkKey = startKey;
      return start;
    }
    const L = this.#layout;
    const node = this.#descendKernel(queryPtr, start, startKey, top, bottom, L.upperOffsetsPtr, L.upperPtr, L.M + 1, L.rowsPtr, L.stride, L.biasPtr, L.keysPtr);
    this.walkKey = L.gatherKeys[0]!;
    return node;
  }

  /**
   * Best-first search of one layer from one entry point, keeping `ef` results; returns them best
   * first (equal keys by node). `want` picks the results: −1 every node (construction), 0 live
   * nodes, 1 nodes the filter mask passes. Every node is walked either way, so neither deletions
   * nor a filter cut the graph. Layer 0 runs in the `search_layer0` kernel.
   */
  layer(queryPtr: number, entry: number, entryKey: number, ef: number, level: number, want: -1 | 0 | 1, keep = ef): Found {
    const L = this.#layout;
    if (level === 0) {
      L.reserveResults(ef);
      const flags = want === 1 ? L.maskPtr : L.deletedPtr;
      const count = this.#layer0Kernel(queryPtr, entry, entryKey, ef, L.nextEpoch(), L.blocksPtr + 4, L.blocksPtr, L.stride, L.visitedPtr, L.rowsPtr, L.biasPtr, flags, want, L.candidatesPtr, L.resultsPtr, L.idsPtr, L.keysPtr);
      const buffer = L.set.memory.buffer;
      if (buffer !== this.#buffer) {
        this.#buffer = buffer;
        this.#f32 = new Float32Array(buffer);
        this.#i32 = new Int32Array(buffer);
      }
      const kept = Math.min(keep, count);
      this.#reserveOut(kept);
      const out = { nodes: this.#nodesOut, keys: this.#keysOut, count: kept };
      // A short list (a search's ef near k) is ordered faster by insertion than by heap pops.
      if (keep < count || count <= SHORT_LIST) selectBest(this.#f32, this.#i32, L.resultsPtr >>> 2, count, out);
      else drainMinHeap(this.#f32, this.#i32, L.resultsPtr >>> 2, count, out);
      return out;
    }
    const candidates = this.#candidates;
    const results = this.#results;
    candidates.clear();
    results.clear();
    const visited = L.visited;
    const epoch = L.nextEpoch();
    const ids = L.gatherIds;
    const keys = L.gatherKeys;
    const upper = L.upper;
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
      const offset = L.upperAt(node, level);
      const count = upper[offset]!;
      for (let i = 0; i < count; i++) {
        const e = upper[offset + 1 + i]!;
        if (visited[e] !== epoch) {
          visited[e] = epoch;
          ids[n++] = e;
        }
      }
      if (n === 0) continue;
      L.gather(queryPtr, n);
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        if (results.size < ef || key > lower) {
          const e = ids[i]!;
          candidates.push(key, e);
          if (results.size < ef) results.push(-key, e);
          else results.replaceTop(-key, e);
          lower = -results.topKey();
        }
      }
    }
    return this.#drainKeyHeap(results);
  }

  #reserveOut(count: number): void {
    if (this.#nodesOut.length < count) {
      this.#nodesOut = new Int32Array(Math.max(count, this.#nodesOut.length * 2));
      this.#keysOut = new Float64Array(this.#nodesOut.length);
    }
  }

  /** Empties a KeyHeap of negated keys (worst on top) into the output arrays, best first. */
  #drainKeyHeap(heap: KeyHeap): Found {
    const count = heap.size;
    this.#reserveOut(count);
    const nodes = this.#nodesOut;
    const keys = this.#keysOut;
    for (let i = count - 1; i >= 0; i--) {
      keys[i] = -heap.topKey();
      nodes[i] = heap.topNode();
      heap.pop();
    }
    return { nodes, keys, count };
  }

  /** Marks in the 'mask' region which nodes pass a filter (and are live); returns how many. */
  allow(filter: CompiledFilter): { count: number } {
    const L = this.#layout;
    const mask = L.mask;
    filter.fillMask(mask, L.nodes);
    let count = 0;
    for (let node = 0; node < L.nodes; node++) {
      if (L.deleted[node] === 1) mask[node] = 0;
      count += mask[node]!;
    }
    return { count };
  }

  /**
   * The k best live nodes for a stored query (unit for cosine) with list size `ef`; with
   * `allowed`, only nodes the mask passes (see allow).
   */
  nearest(stored: Float32Array, k: number, ef: number, allowed: { count: number } | null): Found {
    const L = this.#layout;
    L.queryView.set(stored);
    const queryPtr = L.queryPtr;
    // A filter that passes few nodes makes the graph walk visit ~ef/selectivity nodes: scanning
    // the passing nodes directly is cheaper below ~2·sqrt(ef·n) of them.
    if (allowed && allowed.count < 2 * Math.sqrt(ef * L.nodes)) return this.#scanAllowed(queryPtr, k);
    let current = L.entry;
    let currentKey = L.keyOf(queryPtr, current);
    current = this.descend(queryPtr, current, currentKey, L.maxLevel, 1);
    currentKey = this.walkKey;
    return this.layer(queryPtr, current, currentKey, ef, 0, allowed ? 1 : 0, k);
  }

  /** Exact top-k over the nodes the mask passes. */
  #scanAllowed(queryPtr: number, k: number): Found {
    const L = this.#layout;
    const results = this.#results;
    results.clear();
    const mask = L.mask;
    const chunk = L.gatherIds.length;
    let n = 0;
    const flush = (): void => {
      L.gather(queryPtr, n);
      for (let i = 0; i < n; i++) {
        const key = L.gatherKeys[i]!;
        if (results.size < k) results.push(-key, L.gatherIds[i]!);
        else if (key > -results.topKey()) results.replaceTop(-key, L.gatherIds[i]!);
      }
      n = 0;
    };
    for (let node = 0; node < L.nodes; node++) {
      if (mask[node] !== 1) continue;
      L.gatherIds[n++] = node;
      if (n === chunk) flush();
    }
    if (n > 0) flush();
    return this.#drainKeyHeap(results);
  }
}

/** Lists up to this long are ordered by insertion (selectBest) rather than drained. */
const SHORT_LIST = 32;

/**
 * Empties a min-heap of `count` (f32 key, i32 node) pairs kept interleaved in memory from f32 index
 * `at` — the results `search_layer0` leaves — into `out`, best first (the heap's pops, last to
 * first). The heap is consumed.
 */
function drainMinHeap(f32: Float32Array, i32: Int32Array, at: number, count: number, out: Found): void {
  const outNodes = out.nodes;
  const outKeys = out.keys;
  let size = count;
  while (size > 0) {
    outKeys[size - 1] = f32[at]!;
    outNodes[size - 1] = i32[at + 1]!;
    size--;
    if (size === 0) break;
    const key = f32[at + 2 * size]!;
    const node = i32[at + 2 * size + 1]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && f32[at + 2 * right]! < f32[at + 2 * left]! ? right : left;
      if (f32[at + 2 * child]! >= key) break;
      f32[at + 2 * i] = f32[at + 2 * child]!;
      i32[at + 2 * i + 1] = i32[at + 2 * child + 1]!;
      i = child;
    }
    f32[at + 2 * i] = key;
    i32[at + 2 * i + 1] = node;
  }
}

/**
 * The out.count best of `count` interleaved (key, node) pairs from f32 index `at`, into `out`,
 * best first, equal keys by node: one pass with an insertion-sorted list — most pairs lose to its
 * last at once — instead of `count` heap pops.
 */
function selectBest(f32: Float32Array, i32: Int32Array, at: number, count: number, out: Found): void {
  const keep = out.count;
  const outNodes = out.nodes;
  const outKeys = out.keys;
  let size = 0;
  for (let i = 0; i < count; i++) {
    const key = f32[at + 2 * i]!;
    const node = i32[at + 2 * i + 1]!;
    if (size === keep && !(key > outKeys[keep - 1]! || (key === outKeys[keep - 1]! && node < outNodes[keep - 1]!))) continue;
    let j = size < keep ? size++ : keep - 1;
    while (j > 0 && (key > outKeys[j - 1]! || (key === outKeys[j - 1]! && node < outNodes[j - 1]!))) {
      outKeys[j] = outKeys[j - 1]!;
      outNodes[j] = outNodes[j - 1]!;
      j--;
    }
    outKeys[j] = key;
    outNodes[j] = node;
  }
}
