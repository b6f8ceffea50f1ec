import { MAX_LEVEL, type HnswLayout } from './hnsw-layout.js';
import type { HnswSearch } from './hnsw-search.js';
import type { GraphLocks } from './graph-locks.js';

/**
 * Insertion into an HNSW graph (Malkov & Yashunin, algorithm 1): descend greedily to the node's
 * level, then on each layer below search `efConstruction` candidates and pick the node's links
 * with the neighbour-selection heuristic; once every layer's links are set, link the neighbours
 * back (re-selecting a full list). Setting all of a node's own lists before anyone links to it
 * means no other thread can reach the node while they are written, so a parallel build only
 * locks the neighbours' lists (GraphLocks); one thread builds the same graph as before, since a
 * layer's search never reads the lists of the layer above.
 * The level draws come from a seeded generator whose state persists with the index, so the same
 * seed and insertion order give the same graph (on one thread).
 */
export class HnswBuild {
  readonly efConstruction: number;
  readonly #layout: HnswLayout;
  readonly #search: HnswSearch;
  readonly #levelFactor: number;
  /** The inserted node's links per layer (M per layer) and how many, until they are linked back. */
  readonly #selected: Int32Array;
  readonly #selectedCount = new Int32Array(MAX_LEVEL + 1);
  /** A full list plus the new link, sorted by key against the list's node, for re-selection. */
  readonly #candidates: Int32Array;
  readonly #candidateKeys: Float64Array;
  /** mulberry32 state of the level draws. */
  rng: number;

  constructor(layout: HnswLayout, search: HnswSearch, efConstruction: number, seed: number) {
    this.#layout = layout;
    this.#search = search;
    this.efConstruction = efConstruction;
    this.#levelFactor = 1 / Math.log(layout.M);
    this.rng = seed >>> 0;
    this.#selected = new Int32Array((MAX_LEVEL + 1) * layout.M);
    this.#candidates = new Int32Array(layout.M0 + 1);
    this.#candidateKeys = new Float64Array(layout.M0 + 1);
  }

  #random(): number {
    // mulberry32, kept here so its state persists with the index.
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The next node's level (the draws are made in insertion order). */
  drawLevel(): number {
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.#random()) * this.#levelFactor));
  }

  /** Gives a node whose row is written its level and empty lists, before it is linked (insert). */
  place(node: number, level: number): void {
    const L = this.#layout;
    L.levels[node] = level;
    L.allocateUpper(node, level);
    L.blocks[L.countAt(node)] = 0;
  }

  /**
   * Links a placed node into the graph. With `locks` (a parallel build), other threads insert at
   * the same time: the entry point is read from and raised in the shared state, and each
   * neighbour's list is changed under its lock.
   */
  insert(node: number, level: number, locks: GraphLocks | null = null): void {
    const L = this.#layout;
    const search = this.#search;
    // The level before the entry: a concurrent raise writes the entry first (see GraphLocks).
    const maxLevel = locks ? locks.maxLevel() : L.maxLevel;
    const entry = locks ? locks.entry() : L.entry;
    if (entry < 0) {
      // The first node (on a page's pool, a worker inserts it): it only becomes the entry point.
      if (locks) locks.raise(node, level);
      else {
        L.entry = node;
        L.maxLevel = level;
      }
      return;
    }
    const queryPtr = L.rowPtr(node);
    const self = L.self(node);
    let current = search.descend(queryPtr, entry, L.keyOf(queryPtr, entry), maxLevel, level + 1);
    let currentKey = search.walkKey;
    const top = Math.min(level, maxLevel);
    for (let lc = top; lc >= 0; lc--) {
      const found = search.layer(queryPtr, current, currentKey, this.efConstruction, lc, -1);
      const { nodes, keys } = found;
      const count = this.#selectNeighbours(nodes, keys, found.count, self, L.M);
      L.setLinks(node, lc, L.gatherIds, count);
      this.#selected.set(L.gatherIds.subarray(0, count), lc * L.M);
      this.#selectedCount[lc] = count;
      current = nodes[0]!;
      currentKey = keys[0]!;
    }
    for (let lc = top; lc >= 0; lc--) {
      for (let s = 0; s < this.#selectedCount[lc]!; s++) {
        const e = this.#selected[lc * L.M + s]!;
        if (locks) locks.lock(e);
        this.#connect(e, node, lc);
        if (locks) locks.unlock(e);
      }
    }
    if (level > maxLevel) {
      if (locks) locks.raise(node, level);
      else {
        L.entry = node;
        L.maxLevel = level;
      }
    }
  }

  /**
   * The neighbour-selection heuristic (Malkov & Yashunin, algorithm 4): walk candidates from the
   * closest, keep one unless it is closer to an already kept neighbour than to the base point —
   * links then spread in directions instead of clustering. The kept nodes are left in
   * gatherIds[0, count) (the ids the distance kernel reads); returns count.
   */
  #selectNeighbours(nodes: ArrayLike<number>, keys: ArrayLike<number>, n: number, baseSelf: number, max: number): number {
    const L = this.#layout;
    const ids = L.gatherIds;
    const out = L.gatherKeys;
    let count = 0;
    for (let i = 0; i < n && count < max; i++) {
      const c = nodes[i]!;
      let keep = true;
      if (count > 0) {
        const toBase = L.distance(baseSelf, keys[i]!);
        L.gather(L.rowPtr(c), count);
        const cSelf = L.self(c);
        for (let s = 0; s < count; s++) {
          if (L.distance(cSelf, out[s]!) < toBase) {
            keep = false;
            break;
          }
        }
      }
      if (keep) ids[count++] = c;
    }
    return count;
  }

  /** Adds `node` to e's links on a layer; a full list is re-selected with the heuristic from e. */
  #connect(e: number, node: number, level: number): void {
    const L = this.#layout;
    const max = level === 0 ? L.M0 : L.M;
    const list = level === 0 ? L.blocks : L.upper;
    const at = level === 0 ? L.countAt(e) : L.upperAt(e, level);
    const count = list[at]!;
    if (count < max) {
      list[at + 1 + count] = node;
      list[at] = count + 1;
      return;
    }
    const ids = L.gatherIds;
    for (let i = 0; i < count; i++) ids[i] = list[at + 1 + i]!;
    ids[count] = node;
    L.gather(L.rowPtr(e), count + 1);
    // Closest first; equal keys keep list order (a stable insertion sort of at most M0 + 1).
    const candidates = this.#candidates;
    const keys = this.#candidateKeys;
    for (let i = 0; i <= count; i++) {
      const key = L.gatherKeys[i]!;
      const c = ids[i]!;
      let j = i;
      while (j > 0 && keys[j - 1]! < key) {
        keys[j] = keys[j - 1]!;
        candidates[j] = candidates[j - 1]!;
        j--;
      }
      keys[j] = key;
      candidates[j] = c;
    }
    const kept = this.#selectNeighbours(candidates, keys, count + 1, L.self(e), max);
    // Links before the count: a concurrent reader sees valid nodes either way.
    for (let i = 0; i < kept; i++) list[at + 1 + i] = ids[i]!;
    list[at] = kept;
  }
}
