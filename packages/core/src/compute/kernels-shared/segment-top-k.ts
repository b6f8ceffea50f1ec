/** Where a CPU top-k reference writes: [m, segments, k] values and indices. */
export interface SegmentTopKOut {
  readonly values: Float32Array;
  readonly indices: Int32Array;
}

/**
 * The CPU references' selection: per query and per segment of `segmentRows` base rows (a chunk
 * of similarity-top-k, a slice of the fused scans), the k rows of largest key — equal keys by
 * lower index — written as (value(key), row) at [q, segment, r], padded with (value(−∞), −1).
 * `key` gives a row's key (larger = better), or undefined when the row is not a candidate.
 */
export function segmentTopK(
  { m, n, k, segments, segmentRows }: { m: number; n: number; k: number; segments: number; segmentRows: number },
  key: (q: number, row: number) => number | undefined,
  value: (key: number) => number,
  { values, indices }: SegmentTopKOut,
): void {
  for (let q = 0; q < m; q++) {
    for (let s = 0; s < segments; s++) {
      const candidates: { key: number; index: number }[] = [];
      for (let row = s * segmentRows; row < Math.min(n, (s + 1) * segmentRows); row++) {
        const rowKey = key(q, row);
        if (rowKey !== undefined) candidates.push({ key: rowKey, index: row });
      }
      candidates.sort((a, b) => b.key - a.key || a.index - b.index);
      for (let r = 0; r < k; r++) {
        const o = (q * segments + s) * k + r;
        const hit = candidates[r];
        values[o] = value(hit ? hit.key : -Infinity);
        indices[o] = hit ? hit.index : -1;
      }
    }
  }
}
