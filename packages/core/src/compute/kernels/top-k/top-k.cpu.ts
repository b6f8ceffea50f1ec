import type { HostTensors, OutputArrays } from '../../kernel.js';
import { topKGeometry, type TopKAttrs } from './top-k.shape.js';

/** An insertion into each row's sorted best k, scanning in index order (as the shader does). */
export function topKCpu({ x }: HostTensors<'x'>, attrs: TopKAttrs, { values, indices }: OutputArrays<'values' | 'indices'>): void {
  const { rows, n } = topKGeometry(x, attrs);
  const { k, largest = true } = attrs;
  const better = largest ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (let r = 0; r < rows; r++) {
    const vals = values.subarray(r * k, (r + 1) * k);
    const idx = indices.subarray(r * k, (r + 1) * k);
    let count = 0;
    for (let j = 0; j < n; j++) {
      const v = x.data[r * n + j]!;
      if (count === k && !better(v, vals[k - 1]!)) continue;
      let pos = Math.min(count, k - 1);
      while (pos > 0 && better(v, vals[pos - 1]!)) {
        vals[pos] = vals[pos - 1]!;
        idx[pos] = idx[pos - 1]!;
        pos--;
      }
      vals[pos] = v;
      idx[pos] = j;
      count = Math.min(count + 1, k);
    }
  }
}
