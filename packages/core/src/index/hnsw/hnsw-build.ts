import { MAX_LEVEL, type HnswLayout } from './hnsw-layout.js';
import type { HnswSearch } from './hnsw-search.js';

/**
 * Insertion into an HNSW graph (Malkov & Yashunin, algorithm 1): draw a level, descend greedily
 * to it, then on each layer below search `efConstruction` candidates, link the node to the ones
 * the neighbour-selection heuristic keeps, and link them back (re-selecting a full list).
 * The level draws come from a seeded generator whose state persists with the index, so the same
 * seed and insertion order give the same graph.
 */
export class HnswBuild {
  readonly efConstruction: number;
  readonly #layout: HnswLayout;
  readonly #search: HnswSearch;
  readonly #levelFactor: number;
  /** mulberry32 state of the level draws. */
  rng: number;

  constructor(layout: HnswLayout, search: HnswSearch, efConstruction: number, seed: number) {
    this.#layout = layout;
    this.#search = search;
    this.efConstruction = efConstruction;
    this.#levelFactor = 1 / Math.log(layout.M);
    this.rng = seed >>> 0;
  }

  #random(): number {
    // mulberry32, kept here so its state persists with the index.
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  #randomLevel(): number {
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.#random()) * this.#levelFactor));
  }

  /** Links a node whose row is written into the graph. */
  insert(node: number): void {
    const L = this.#layout;
    const search = this.#search;
    const level = this.#randomLevel();
    L.levels[node] = level;
    L.allocateUpper(node, level);
    L.blocks[L.countAt(node)] = 0;
    if (L.entry < 0) {
      L.entry = node;
      L.maxLevel = level;
      return;
    }
    const queryPtr = L.rowPtr(node);
    const self = L.self(node);
    let current = L.entry;
    let currentKey = L.keyOf(queryPtr, current);
    current = search.descend(queryPtr, current, currentKey, L.maxLevel, level + 1);
    currentKey = search.walkKey;
    for (let lc = Math.min(level, L.maxLevel); lc >= 0; lc--) {
      const { nodes, keys } = search.layer(queryPtr, current, currentKey, this.efConstruction, lc, -1);
      const selected = this.#selectNeighbours(nodes, keys, self, L.M);
      L.setLinks(node, lc, selected);
      for (const e of selected) this.#connect(e, node, lc);
      current = nodes[0]!;
      currentKey = keys[0]!;
    }
    if (level > L.maxLevel) {
      L.entry = node;
      L.maxLevel = level;
    }
  }

  /**
   * The neighbour-selection heuristic (Malkov & Yashunin, algorithm 4): walk candidates from the
   * closest, keep one unless it is closer to an already kept neighbour than to the base point —
   * links then spread in directions instead of clustering.
   */
  #selectNeighbours(nodes: Int32Array, keys: Float64Array, baseSelf: number, max: number): number[] {
    const L = this.#layout;
    const selected: number[] = [];
    const ids = L.gatherIds;
    const out = L.gatherKeys;
    for (let i = 0; i < nodes.length && selected.length < max; i++) {
      const c = nodes[i]!;
      const toBase = L.distance(baseSelf, keys[i]!);
      for (let s = 0; s < selected.length; s++) ids[s] = selected[s]!;
      L.gather(L.rowPtr(c), selected.length);
      const cSelf = L.self(c);
      let keep = true;
      for (let s = 0; s < selected.length; s++) {
        if (L.distance(cSelf, out[s]!) < toBase) {
          keep = false;
          break;
        }
      }
      if (keep) selected.push(c);
    }
    return selected;
  }

  /** Adds `node` to e's links on a layer; a full list is re-selected with the heuristic from e. */
  #connect(e: number, node: number, level: number): void {
    const L = this.#layout;
    const max = level === 0 ? L.M0 : L.M;
    const links = L.links(e, level);
    if (links.length < max) {
      L.setLinks(e, level, [...links, node]);
      return;
    }
    const candidates = [...links, node];
    const ids = L.gatherIds;
    candidates.forEach((c, i) => (ids[i] = c));
    L.gather(L.rowPtr(e), candidates.length);
    const order = candidates.map((c, i) => ({ c, key: L.gatherKeys[i]! })).sort((a, b) => b.key - a.key);
    const selected = this.#selectNeighbours(Int32Array.from(order, (o) => o.c), Float64Array.from(order, (o) => o.key), L.self(e), max);
    L.setLinks(e, level, selected);
  }
}
