/**
 * The k best (key, slot) pairs of many queries at once: one binary min-heap per query in flat typed
 * arrays, the worst kept pair at the root. Keys are "larger is better" (similarities, or negated
 * distances). Order is total: equal keys rank the lower slot first, so results never depend on
 * the order candidates arrive in.
 */
export class TopKCollector {
  #k = 0;
  #queries = 0;
  #keys = new Float32Array(0);
  #slots = new Int32Array(0);
  #counts = new Int32Array(0);

  constructor(queries = 0, k = 1) {
    this.reset(queries, k);
  }

  get k(): number {
    return this.#k;
  }

  /** Empties the collector for `queries` queries of `k` results each, reusing its arrays. */
  reset(queries: number, k: number): void {
    this.#k = k;
    this.#queries = queries;
    if (this.#keys.length < queries * k) {
      this.#keys = new Float32Array(queries * k);
      this.#slots = new Int32Array(queries * k);
    }
    if (this.#counts.length < queries) this.#counts = new Int32Array(queries);
    this.#counts.fill(0, 0, queries);
  }

  count(query: number): number {
    return this.#counts[query]!;
  }

  /** The key a candidate must beat to enter (−∞ until k are kept). */
  threshold(query: number): number {
    return this.#counts[query]! < this.#k ? -Infinity : this.#keys[query * this.#k]!;
  }

  /** Offers a candidate; true when it was kept. */
  offer(query: number, key: number, slot: number): boolean {
    const k = this.#k;
    const base = query * k;
    const keys = this.#keys;
    const slots = this.#slots;
    const count = this.#counts[query]!;
    if (count < k) {
      // Sift up from the new leaf.
      let i = count;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(key, slot, keys[base + parent]!, slots[base + parent]!)) break;
        keys[base + i] = keys[base + parent]!;
        slots[base + i] = slots[base + parent]!;
        i = parent;
      }
      keys[base + i] = key;
      slots[base + i] = slot;
      this.#counts[query] = count + 1;
      return true;
    }
    if (!worse(keys[base]!, slots[base]!, key, slot)) return false;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= k) break;
      const right = left + 1;
      let child = left;
      if (right < k && worse(keys[base + right]!, slots[base + right]!, keys[base + left]!, slots[base + left]!)) child = right;
      if (!worse(keys[base + child]!, slots[base + child]!, key, slot)) break;
      keys[base + i] = keys[base + child]!;
      slots[base + i] = slots[base + child]!;
      i = child;
    }
    keys[base + i] = key;
    slots[base + i] = slot;
    return true;
  }

  /** The kept pairs of a query, best first (an insertion sort: pools are small, and it runs once per query of every search). */
  sorted(query: number): { keys: Float32Array; slots: Int32Array } {
    const count = this.#counts[query]!;
    const base = query * this.#k;
    const keys = new Float32Array(count);
    const slots = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const key = this.#keys[base + i]!;
      const slot = this.#slots[base + i]!;
      let at = i;
      while (at > 0 && worse(keys[at - 1]!, slots[at - 1]!, key, slot)) {
        keys[at] = keys[at - 1]!;
        slots[at] = slots[at - 1]!;
        at--;
      }
      keys[at] = key;
      slots[at] = slot;
    }
    return { keys, slots };
  }

  get queries(): number {
    return this.#queries;
  }
}

/** (keyA, slotA) ranks below (keyB, slotB). */
function worse(keyA: number, slotA: number, keyB: number, slotB: number): boolean {
  return keyA < keyB || (keyA === keyB && slotA > slotB);
}
