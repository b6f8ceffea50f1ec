/**
 * An order of vectors that keeps neighbours together: the leaves of a k-d tree built by median
 * splits on the widest of the leading `dims` dimensions, down to `leaf` vectors. The flat f32
 * index inserts a batch in this order so that the eight vectors of a panel tend to be alike —
 * then a panel's bound fails for all eight lanes at once more often, and more panels stop early.
 * O(n log n): each level scans its ranges once and partitions them with quickselect.
 */
export function kdOrder(vectors: ArrayLike<number>, rows: number, dim: number, options: { leaf?: number; dims?: number } = {}): Int32Array {
  const leaf = options.leaf ?? 8;
  const dims = Math.min(dim, options.dims ?? 8);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const keys = new Float64Array(rows);
  const stack: number[] = [0, rows];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    if (end - start <= leaf) continue;
    let widest = 0;
    let widestSpread = -1;
    for (let j = 0; j < dims; j++) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = start; i < end; i++) {
        const v = vectors[order[i]! * dim + j]!;
        if (v < low) low = v;
        if (v > high) high = v;
      }
      if (high - low > widestSpread) {
        widestSpread = high - low;
        widest = j;
      }
    }
    if (widestSpread <= 0) continue;
    for (let i = start; i < end; i++) keys[i] = vectors[order[i]! * dim + widest]!;
    // Split near the middle, on a multiple of the leaf size.
    const mid = start + Math.max(leaf, Math.floor((end - start) / 2 / leaf) * leaf);
    select(order, keys, start, end - 1, mid);
    stack.push(start, mid, mid, end);
  }
  return order;
}

/** Rearranges order/keys in [left, right] so that position `nth` holds its sorted element, smaller keys before it. */
function select(order: Int32Array, keys: Float64Array, left: number, right: number, nth: number): void {
  while (right > left) {
    const pivot = keys[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) {
        const k = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = k;
        const o = order[i]!;
        order[i] = order[j]!;
        order[j] = o;
        i++;
        j--;
      }
    }
    if (nth <= j) right = j;
    else if (nth >= i) left = i;
    else return;
  }
}
