import { IndexError } from '../../errors.js';
import type { MetadataSnapshot } from '../metadata-store.js';
import { MAX_LEVEL, type HnswLayout } from './hnsw-layout.js';

/** Everything that rebuilds an HNSW graph exactly, as plain arrays (the persisted sections). */
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
 * Nodes reachable on layer 0 from the entry point, following links (`M0` per node): every node in
 * a sound graph. A check of a built graph (tests compare it with the node count).
 */
export function reachableOnLayerZero(snapshot: HnswSnapshot, M0: number): number {
  const { params, counts0, links0 } = snapshot;
  if (params.nodes === 0) return 0;
  const seen = new Uint8Array(params.nodes);
  const stack = [params.entry];
  seen[params.entry] = 1;
  let count = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (let i = 0; i < counts0[node]!; i++) {
      const next = links0[node * M0 + i]!;
      if (seen[next] === 0) {
        seen[next] = 1;
        count++;
        stack.push(next);
      }
    }
  }
  return count;
}

/** The arrays of a snapshot that the layout holds (ids and metadata come from the slot table). */
export type GraphArrays = Pick<HnswSnapshot, 'rows' | 'deleted' | 'levels' | 'links0' | 'counts0' | 'upperOffset' | 'upper'>;

export function corruptGraph(what: string): IndexError {
  return new IndexError('INDEX_CORRUPT', `stored HNSW graph is inconsistent: ${what}`);
}

/** Copies the graph out of the layout: rows and layer-0 links unpacked from the node blocks. */
export function graphArrays(L: HnswLayout): GraphArrays {
  const n = L.nodes;
  const rows = new Float32Array(n * L.dim);
  const links0 = new Int32Array(n * L.M0);
  const counts0 = new Uint16Array(n);
  for (let node = 0; node < n; node++) {
    rows.set(L.row(node), node * L.dim);
    counts0[node] = L.blocks[L.countAt(node)]!;
    links0.set(L.blocks.subarray(L.countAt(node) + 1, L.countAt(node) + 1 + L.M0), node * L.M0);
  }
  return {
    rows,
    deleted: L.deleted.slice(0, n),
    levels: L.levels.slice(0, n),
    links0,
    counts0,
    upperOffset: L.upperOffset.slice(0, n),
    upper: L.upper.slice(0, L.upperUsed),
  };
}

/** Checks a snapshot's arrays against each other before anything is written; throws INDEX_CORRUPT naming the first fault. */
export function checkSnapshot(s: HnswSnapshot, dim: number): void {
  const p = s.params;
  const n = p.nodes;
  const M0 = 2 * p.M;
  if (s.rows.length !== n * dim || s.ids.length !== n || s.deleted.length !== n || s.levels.length !== n || s.links0.length !== n * M0 || s.counts0.length !== n || s.upperOffset.length !== n) {
    throw corruptGraph('array lengths do not match the node count');
  }
  if (n > 0 && (p.entry < 0 || p.entry >= n || p.maxLevel !== s.levels[p.entry])) throw corruptGraph(`entry point ${p.entry}`);
  for (let node = 0; node < n; node++) {
    if (s.counts0[node]! > M0) throw corruptGraph(`node ${node} has ${s.counts0[node]} links on layer 0`);
    const level = s.levels[node]!;
    const offset = s.upperOffset[node]!;
    if (level > MAX_LEVEL || (level > 0 && (offset < 0 || offset + level * (p.M + 1) > s.upper.length))) throw corruptGraph(`node ${node} level ${level} links`);
  }
  for (const link of s.links0) if (link < 0 || link >= n) throw corruptGraph(`link to node ${link}`);
  for (let node = 0; node < n; node++) {
    for (let level = 1; level <= s.levels[node]!; level++) {
      const at = s.upperOffset[node]! + (level - 1) * (p.M + 1);
      const count = s.upper[at]!;
      if (count > p.M) throw corruptGraph(`node ${node} has ${count} links on layer ${level}`);
      for (let i = 0; i < count; i++) if (s.upper[at + 1 + i]! < 0 || s.upper[at + 1 + i]! >= n) throw corruptGraph(`link to node ${s.upper[at + 1 + i]}`);
    }
  }
}

/** Writes a checked snapshot's graph into an empty layout with room for its nodes. */
export function restoreGraph(L: HnswLayout, s: HnswSnapshot): void {
  const n = s.params.nodes;
  for (let node = 0; node < n; node++) {
    L.writeRow(node, s.rows.subarray(node * L.dim, (node + 1) * L.dim));
    L.blocks[L.countAt(node)] = s.counts0[node]!;
    L.blocks.set(s.links0.subarray(node * L.M0, (node + 1) * L.M0), L.countAt(node) + 1);
  }
  L.levels.set(s.levels);
  L.upperOffset.set(s.upperOffset);
  L.reserveUpper(s.upper.length);
  L.upper.set(s.upper);
  L.upperUsed = s.upper.length;
  L.deleted.set(s.deleted);
  L.nodes = n;
  L.entry = s.params.entry;
  L.maxLevel = s.params.maxLevel;
}
