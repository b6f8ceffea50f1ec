import { KeyHeap } from '../hnsw/key-heap.js';

/**
 * `search_layer0` in TypeScript over the same memory: the oracle of the WebAssembly version and
 * the HNSW search where SIMD is missing. The heaps are KeyHeaps (results with negated keys), whose
 * sifting the wasm heaps copy, and keys come from the reference `gather_keys`, so the heap left in
 * `results` is the same pair for pair.
 */
export function createReferenceGraphSearch(buffer: () => ArrayBuffer, rowKey: (query: number, rows: number, stride: number, id: number, bias: number) => number) {
  const candidates = new KeyHeap();
  const results = new KeyHeap();
  return (query: number, entry: number, entryKey: number, ef: number, epoch: number, links: number, counts: number, stride: number, visited: number, rows: number, bias: number, flags: number, want: number, _cand: number, res: number): number => {
    const i32 = new Int32Array(buffer());
    const u16 = new Uint16Array(buffer());
    const u8 = new Uint8Array(buffer());
    const f32 = new Float32Array(buffer());
    const accept = (node: number): boolean => want < 0 || u8[flags + node] === want;
    candidates.clear();
    results.clear();
    u16[(visited >>> 1) + entry] = epoch;
    candidates.push(entryKey, entry);
    if (accept(entry)) results.push(-entryKey, entry);
    let lower = results.size > 0 ? -results.topKey() : -Infinity;
    while (candidates.size > 0) {
      if (candidates.topKey() < lower && results.size >= ef) break;
      const node = candidates.topNode();
      candidates.pop();
      const count = i32[(counts + node * stride) >>> 2]!;
      for (let i = 0; i < count; i++) {
        const e = i32[((links + node * stride) >>> 2) + i]!;
        if (u16[(visited >>> 1) + e] === epoch) continue;
        u16[(visited >>> 1) + e] = epoch;
        const key = rowKey(query, rows, stride, e, bias);
        if (results.size < ef || key > lower) {
          candidates.push(key, e);
          if (accept(e)) {
            if (results.size < ef) results.push(-key, e);
            else results.replaceTop(-key, e);
            lower = -results.topKey();
          }
        }
      }
    }
    // Leave the results where the wasm version leaves them: (key, node) pairs in heap order.
    for (let i = 0; i < results.size; i++) {
      f32[(res >>> 2) + 2 * i] = -results.keyAt(i);
      i32[(res >>> 2) + 2 * i + 1] = results.nodeAt(i);
    }
    return results.size;
  };
}

/** `search_upper` in TypeScript: the greedy descent, keys from the reference row dot product. */
export function createReferenceDescent(buffer: () => ArrayBuffer, rowKey: (query: number, rows: number, stride: number, id: number, bias: number) => number) {
  return (query: number, entry: number, entryKey: number, top: number, bottom: number, offsets: number, upper: number, linkBlock: number, rows: number, stride: number, bias: number, keyOut: number): number => {
    const i32 = new Int32Array(buffer());
    let current = entry;
    let currentKey = entryKey;
    for (let level = top; level >= bottom; level--) {
      for (let changed = true; changed; ) {
        changed = false;
        const base = (upper >>> 2) + i32[(offsets >>> 2) + current]! + (level - 1) * linkBlock;
        const count = i32[base]!;
        for (let i = 0; i < count; i++) {
          const e = i32[base + 1 + i]!;
          const key = rowKey(query, rows, stride, e, bias);
          if (key > currentKey) {
            currentKey = key;
            current = e;
            changed = true;
          }
        }
      }
    }
    new Float32Array(buffer())[keyOut >>> 2] = currentKey;
    return current;
  };
}
