import { emitRowDot, rowDotLocals } from '../../compute/wasm/emit-loops.js';
import type { Code, ModuleBuilder } from '../../compute/wasm/wasm-encoder.js';

/**
 * HNSW's layer-0 best-first search as one WebAssembly function, so the hot loop — pop the best
 * candidate, walk its links, skip visited nodes, score the rest with the SIMD row dot product,
 * push into two heaps — runs without a JS↔wasm crossing per node.
 *
 * Memory it works on (all in the index's linear memory). Each node is one block of `stride`
 * bytes — its layer-0 link count, its links, its padded row — so expanding a node and scoring it
 * touch neighbouring cache lines:
 *   counts    i32 at counts + node · stride  how many links are set
 *   links     i32 at links + node · stride   layer-0 neighbours
 *   rows      f32 at rows + node · stride    the padded vector
 *   visited   u16 [node]                    = epoch once visited in this search (u16: half the cache footprint)
 *   rows/bias the padded f32 rows and their key bias (key = q·x + bias); this kernel reads the
 *             copy of a row's bias in the 4 bytes before the row (`bias`, the same values, is
 *             what the TypeScript reference reads)
 *   flags     u8 [node]                     a node becomes a result iff want < 0 or flags[node] = want
 *   heaps     (f32 key, i32 node) pairs, 8 bytes each: candidates a max-heap, results a min-heap
 *   scratch   ids and keys of one node's unvisited neighbours (up to its link count)
 *
 * `blockBytes` is `stride` as known when the module is generated (HnswLayout's node block, whose
 * header starts at `counts`), so the walk touches a block's lines at constant offsets; 0 for a
 * kernel set that serves no graph (then nothing is touched ahead).
 *
 * The heaps sift exactly like KeyHeap (results as a max-heap of negated keys), and keys are the
 * bits `gather_keys` gives, so the TypeScript reference (reference-graph-search.ts) reproduces
 * every result, and with it every graph an index builds.
 */
export function searchLayer0(module: ModuleBuilder, dim: number, blockBytes: number): void {
  const I = 'i32' as const;
  const code = module.addFunction('search_layer0', [I, I, 'f32', I, I, I, I, I, I, I, I, I, I, I, I, I, I], [I]);
  const [query, entry, entryKey, ef, epoch, links, counts, stride, visited, rows, bias, flags, want, cand, res, scratchIds, scratchKeys] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const candSize = code.local('i32');
  const resSize = code.local('i32');
  const lower = code.local('f32');
  const node = code.local('i32');
  const base = code.local('i32');
  const count = code.local('i32');
  const i = code.local('i32');
  const e = code.local('i32');
  const at = code.local('i32');
  const key = code.local('f32');
  const fresh = code.local('i32');
  const touched = code.local('i32');
  // Heap scratch.
  const hi = code.local('i32');
  const hj = code.local('i32');
  const hr = code.local('i32');
  const hKey = code.local('f32');
  const hNode = code.local('i32');
  const dot = rowDotLocals(code, dim);

  const accept = (n: number): void => {
    code.localGet(want).i32Const(0).op('i32.lt_s');
    code.localGet(flags).localGet(n).op('i32.add').mem('i32.load8_u').localGet(want).op('i32.eq');
    code.op('i32.or');
  };

  code.localGet(visited).localGet(entry).i32Const(1).op('i32.shl').op('i32.add').localGet(epoch).mem('i32.store16');
  code.i32Const(0).localSet(candSize).i32Const(0).localSet(resSize);
  push(code, cand, candSize, entryKey, entry, true, { hi, hj, hKey, hNode });
  accept(entry);
  code.if();
  push(code, res, resSize, entryKey, entry, false, { hi, hj, hKey, hNode });
  code.end();
  // lower = the worst result's key, or −∞ while there is none.
  code.localGet(res).mem('f32.load').f32Const(-Infinity).localGet(resSize).op('select').localSet(lower);

  code.block().loop();
  code.localGet(candSize).op('i32.eqz').brIf(1);
  // Stop when the best candidate is worse than the worst of a full result list.
  code.localGet(cand).mem('f32.load').localGet(lower).op('f32.lt');
  code.localGet(resSize).localGet(ef).op('i32.ge_s').op('i32.and').brIf(1);
  code.localGet(cand).mem('i32.load', 4).localSet(node);
  pop(code, cand, candSize, true, { hi, hj, hr, hKey, hNode });
  code.localGet(links).localGet(node).localGet(stride).op('i32.mul').op('i32.add').localSet(base);
  code.localGet(counts).localGet(node).localGet(stride).op('i32.mul').op('i32.add').mem('i32.load').localSet(count);
  // Pass 1: the unvisited neighbours, in link order, marked; each one's block — row and header — is
  // touched on every cache line (WebAssembly has no prefetch), so the misses of all of them are in
  // flight together before pass 2 reads the rows, and the links of those that get expanded later
  // are already cached then (loading them at the pop stalled the walk). Visited neighbours are
  // skipped before their blocks are touched.
  code.i32Const(0).localSet(fresh);
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(count).op('i32.ge_u').brIf(1);
  code.localGet(base).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load').localSet(e);
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.localGet(visited).localGet(e).i32Const(1).op('i32.shl').op('i32.add').localTee(at).mem('i32.load16_u').localGet(epoch).op('i32.ne');
  code.if();
  code.localGet(at).localGet(epoch).mem('i32.store16');
  code.localGet(scratchIds).localGet(fresh).i32Const(2).op('i32.shl').op('i32.add').localGet(e).mem('i32.store');
  code.localGet(fresh).i32Const(1).op('i32.add').localSet(fresh);
  code.localGet(counts).localGet(e).localGet(stride).op('i32.mul').op('i32.add').localSet(at);
  touchBlock(code, blockBytes, at, touched);
  code.end();
  code.br(0).end().end();
  // Pass 2: their keys, in the same order; straight-line row reads.
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(fresh).op('i32.ge_u').brIf(1);
  code.localGet(scratchIds).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load').localSet(e);
  code.localGet(scratchKeys).localGet(i).i32Const(2).op('i32.shl').op('i32.add');
  emitRowDot(
    code,
    dim,
    dot,
    () => code.localGet(rows).localGet(e).localGet(stride).op('i32.mul').op('i32.add'),
    () => code.localGet(query),
  );
  // The bias copy in the 4 bytes before the row (HnswLayout.writeRow): beside the row, not in `bias`.
  code.localGet(rows).localGet(e).localGet(stride).op('i32.mul').op('i32.add').i32Const(4).op('i32.sub').mem('f32.load').op('f32.add').mem('f32.store');
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.br(0).end().end();
  // Pass 3: into the heaps, in the same order.
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(fresh).op('i32.ge_u').brIf(1);
  code.localGet(scratchIds).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load').localSet(e);
  code.localGet(scratchKeys).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('f32.load').localSet(key);
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.localGet(resSize).localGet(ef).op('i32.lt_s').localGet(key).localGet(lower).op('f32.gt').op('i32.or');
  code.if();
  push(code, cand, candSize, key, e, true, { hi, hj, hKey, hNode });
  accept(e);
  code.if();
  code.localGet(resSize).localGet(ef).op('i32.lt_s').if();
  push(code, res, resSize, key, e, false, { hi, hj, hKey, hNode });
  code.else();
  replaceTop(code, res, resSize, key, e, false, { hi, hj, hr, hKey, hNode });
  code.end();
  code.localGet(res).mem('f32.load').localSet(lower);
  code.end();
  code.end();
  code.br(0).end().end();
  code.br(0).end().end();
  code.localGet(resSize);
}

/**
 * Loads one byte of every cache line of the `bytes` at local `block`, summed into local `sum`, at
 * constant offsets (a loop over the lines measured slower): one per 64 bytes, and the last byte
 * where it can lie on one line more — blocks start 16-byte aligned, so only when it is 16 or more
 * bytes past the last of those. Loads that may trap are not dropped.
 */
function touchBlock(code: Code, bytes: number, block: number, sum: number): void {
  if (bytes === 0) return;
  const lines = Array.from({ length: Math.ceil(bytes / 64) }, (_, line) => line * 64);
  const touches = bytes - 1 - lines[lines.length - 1]! >= 16 ? [...lines, bytes - 1] : lines;
  for (const offset of touches) code.localGet(sum).localGet(block).mem('i32.load8_u', offset).op('i32.add').localSet(sum);
}

/**
 * Loads one byte of every cache line of the row at local `row` (and its last byte: a row that does
 * not start on a line boundary spans one more line), summed into local `sum` — loads that may trap
 * are not dropped. WebAssembly has no prefetch; this starts the misses of several rows at once.
 */
function touchRow(code: Code, dim: number, row: number, sum: number): void {
  const rowBytes = Math.ceil(dim / 4) * 16;
  const touches = [...Array.from({ length: Math.ceil(rowBytes / 64) }, (_, line) => line * 64), rowBytes - 1];
  for (const offset of touches) code.localGet(sum).localGet(row).mem('i32.load8_u', offset).op('i32.add').localSet(sum);
}

/** Pushes (key, node) from locals onto a heap: max-heap (candidates) or min-heap (results). */
function push(code: Code, heap: number, size: number, key: number, node: number, max: boolean, t: { hi: number; hj: number; hKey: number; hNode: number }): void {
  code.localGet(key).localSet(t.hKey).localGet(node).localSet(t.hNode);
  code.localGet(size).localSet(t.hi);
  code.localGet(size).i32Const(1).op('i32.add').localSet(size);
  code.block().loop();
  code.localGet(t.hi).op('i32.eqz').brIf(1);
  code.localGet(t.hi).i32Const(1).op('i32.sub').i32Const(1).op('i32.shr_u').localSet(t.hj);
  // Stop when the parent already ranks at least as high (max: parent ≥ key; min: parent ≤ key).
  code.localGet(heap).localGet(t.hj).i32Const(3).op('i32.shl').op('i32.add').mem('f32.load').localGet(t.hKey).op(max ? 'f32.ge' : 'f32.le').brIf(1);
  code.localGet(heap).localGet(t.hi).i32Const(3).op('i32.shl').op('i32.add');
  code.localGet(heap).localGet(t.hj).i32Const(3).op('i32.shl').op('i32.add').mem('i64.load');
  code.mem('i64.store');
  code.localGet(t.hj).localSet(t.hi);
  code.br(0).end().end();
  store(code, heap, t.hi, t.hKey, t.hNode);
}

/** Removes a heap's top: the last pair sifts down from the root. */
function pop(code: Code, heap: number, size: number, max: boolean, t: { hi: number; hj: number; hr: number; hKey: number; hNode: number }): void {
  code.localGet(size).i32Const(1).op('i32.sub').localTee(size);
  code.if();
  code.localGet(heap).localGet(size).i32Const(3).op('i32.shl').op('i32.add').mem('f32.load').localSet(t.hKey);
  code.localGet(heap).localGet(size).i32Const(3).op('i32.shl').op('i32.add').mem('i32.load', 4).localSet(t.hNode);
  siftDown(code, heap, size, max, t);
  code.end();
}

/** Replaces a full heap's top by (key, node) from locals, which sifts down: one pass instead of a push and a pop. */
function replaceTop(code: Code, heap: number, size: number, key: number, node: number, max: boolean, t: { hi: number; hj: number; hr: number; hKey: number; hNode: number }): void {
  code.localGet(key).localSet(t.hKey).localGet(node).localSet(t.hNode);
  siftDown(code, heap, size, max, t);
}

/** Sifts the pair in locals hKey, hNode down from the root of a heap of `size` pairs (the root's slot is free). */
function siftDown(code: Code, heap: number, size: number, max: boolean, t: { hi: number; hj: number; hr: number; hKey: number; hNode: number }): void {
  const slot = (index: number): void => {
    code.localGet(heap).localGet(index).i32Const(3).op('i32.shl').op('i32.add');
  };
  const better = max ? 'f32.gt' : 'f32.lt';
  code.i32Const(0).localSet(t.hi);
  code.block().loop();
  // child = 2i + 1; stop past the end.
  code.localGet(t.hi).i32Const(1).op('i32.shl').i32Const(1).op('i32.add').localTee(t.hj).localGet(size).op('i32.ge_u').brIf(1);
  // The right child where it exists and ranks higher: a select, not a branch (the comparison is a
  // coin toss for the predictor). Slot `size` may be read: both heaps have room for one more pair.
  code.localGet(t.hj).i32Const(1).op('i32.add').localTee(t.hr);
  code.localGet(t.hj);
  slot(t.hr);
  code.mem('f32.load');
  slot(t.hj);
  code.mem('f32.load').op(better);
  code.localGet(t.hr).localGet(size).op('i32.lt_u').op('i32.and');
  code.op('select').localSet(t.hj);
  // Stop when the child does not rank above the moving pair (max: child ≤ key; min: child ≥ key).
  slot(t.hj);
  code.mem('f32.load').localGet(t.hKey).op(max ? 'f32.le' : 'f32.ge').brIf(1);
  slot(t.hi);
  slot(t.hj);
  code.mem('i64.load').mem('i64.store');
  code.localGet(t.hj).localSet(t.hi);
  code.br(0).end().end();
  store(code, heap, t.hi, t.hKey, t.hNode);
}

function store(code: Code, heap: number, index: number, key: number, node: number): void {
  code.localGet(heap).localGet(index).i32Const(3).op('i32.shl').op('i32.add').localGet(key).mem('f32.store');
  code.localGet(heap).localGet(index).i32Const(3).op('i32.shl').op('i32.add').localGet(node).mem('i32.store', 4);
}

/**
 * HNSW's greedy descent through the upper layers, `top` down to `bottom`: on each layer, move to
 * the best-scoring neighbour until none beats the current node. Upper links live in one pool:
 * node n's layer-l list starts at upper[offsets[n] + (l − 1)·linkBlock] (count, then links).
 * Returns the node reached; its key is stored at `keyOut`.
 */
export function searchUpper(module: ModuleBuilder, dim: number): void {
  const I = 'i32' as const;
  const code = module.addFunction('search_upper', [I, I, 'f32', I, I, I, I, I, I, I, I, I], [I]);
  const [query, entry, entryKey, top, bottom, offsets, upper, linkBlock, rows, stride, bias, keyOut] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const current = code.local('i32');
  const currentKey = code.local('f32');
  const level = code.local('i32');
  const changed = code.local('i32');
  const base = code.local('i32');
  const count = code.local('i32');
  const i = code.local('i32');
  const e = code.local('i32');
  const key = code.local('f32');
  const at = code.local('i32');
  const touched = code.local('i32');
  const dot = rowDotLocals(code, dim);
  code.localGet(entry).localSet(current);
  code.localGet(entryKey).localSet(currentKey);
  code.localGet(top).localSet(level);
  code.block().loop();
  code.localGet(level).localGet(bottom).op('i32.lt_s').brIf(1);
  code.loop();
  code.i32Const(0).localSet(changed);
  // base = upper + (offsets[current] + (level − 1)·linkBlock)·4
  code.localGet(upper);
  code.localGet(offsets).localGet(current).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load');
  code.localGet(level).i32Const(1).op('i32.sub').localGet(linkBlock).op('i32.mul').op('i32.add');
  code.i32Const(2).op('i32.shl').op('i32.add').localSet(base);
  code.localGet(base).mem('i32.load').localSet(count);
  // Touch the neighbours' rows first, so their misses overlap (as in search_layer0).
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(count).op('i32.ge_u').brIf(1);
  code.localGet(base).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load', 4).localSet(e);
  code.localGet(rows).localGet(e).localGet(stride).op('i32.mul').op('i32.add').localSet(at);
  touchRow(code, dim, at, touched);
  // …and its list on this level, where the walk goes next if it scores best.
  code.localGet(upper);
  code.localGet(offsets).localGet(e).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load');
  code.localGet(level).i32Const(1).op('i32.sub').localGet(linkBlock).op('i32.mul').op('i32.add');
  code.i32Const(2).op('i32.shl').op('i32.add').localSet(at);
  code.localGet(touched).localGet(at).mem('i32.load8_u').op('i32.add').localGet(at).localGet(linkBlock).i32Const(2).op('i32.shl').op('i32.add').i32Const(1).op('i32.sub').mem('i32.load8_u').op('i32.add').localSet(touched);
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  code.br(0).end().end();
  code.i32Const(0).localSet(i);
  code.block().loop();
  code.localGet(i).localGet(count).op('i32.ge_u').brIf(1);
  code.localGet(base).localGet(i).i32Const(2).op('i32.shl').op('i32.add').mem('i32.load', 4).localSet(e);
  code.localGet(i).i32Const(1).op('i32.add').localSet(i);
  emitRowDot(
    code,
    dim,
    dot,
    () => code.localGet(rows).localGet(e).localGet(stride).op('i32.mul').op('i32.add'),
    () => code.localGet(query),
  );
  // The bias copy in the 4 bytes before the row, as in search_layer0 (`bias` holds the same values).
  code.localGet(rows).localGet(e).localGet(stride).op('i32.mul').op('i32.add').i32Const(4).op('i32.sub').mem('f32.load').op('f32.add').localTee(key);
  code.localGet(currentKey).op('f32.gt').if();
  code.localGet(key).localSet(currentKey).localGet(e).localSet(current).i32Const(1).localSet(changed);
  code.end();
  code.br(0).end().end();
  code.localGet(changed).brIf(0);
  code.end();
  code.localGet(level).i32Const(1).op('i32.sub').localSet(level);
  code.br(0).end().end();
  code.localGet(keyOut).localGet(currentKey).mem('f32.store');
  code.localGet(current);
}
