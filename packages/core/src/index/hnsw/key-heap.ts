/**
 * A binary heap of (key, node) pairs in typed arrays, largest key on top. The HNSW search keeps its
 * candidates in one (best first) and its results in another with negated keys (worst first).
 */
export class KeyHeap {
  #keys = new Float64Array(64);
  #nodes = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.#keys[0]!;
  }

  topNode(): number {
    return this.#nodes[0]!;
  }

  push(key: number, node: number): void {
    if (this.size === this.#keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.#keys);
      this.#keys = keys;
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.#nodes);
      this.#nodes = nodes;
    }
    const keys = this.#keys;
    const nodes = this.#nodes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! >= key) break;
      keys[i] = keys[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  /** Removes the top pair (read it with topKey/topNode first). */
  pop(): void {
    const size = --this.size;
    if (size > 0) this.#siftDown(this.#keys[size]!, this.#nodes[size]!);
  }

  /**
   * Replaces the top pair by (key, node) — for a key below the top, a push and a pop in one sift, as
   * the layer-0 kernel does. The pairs kept are the same; their order in the heap is not, so among
   * equal keys a later pop may take another pair than after a push and a pop.
   */
  replaceTop(key: number, node: number): void {
    this.#siftDown(key, node);
  }

  /** Sifts (key, node) down from the root, whose slot is free. */
  #siftDown(key: number, node: number): void {
    const keys = this.#keys;
    const nodes = this.#nodes;
    const size = this.size;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && keys[right]! > keys[left]! ? right : left;
      if (keys[child]! <= key) break;
      keys[i] = keys[child]!;
      nodes[i] = nodes[child]!;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  /** The pairs in heap order (not sorted): for draining without popping. */
  keyAt(i: number): number {
    return this.#keys[i]!;
  }

  nodeAt(i: number): number {
    return this.#nodes[i]!;
  }
}
