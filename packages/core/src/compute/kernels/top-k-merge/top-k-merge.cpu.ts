import type { HostTensors, OutputArrays } from '../../kernel.js';
import { topKMergeGeometry, type TopKMergeAttrs } from './top-k-merge.shape.js';

/** Candidate a ranks before candidate b: a better value, or an equal value and a lower index. */
function before(largest: boolean, va: number, ia: number, vb: number, ib: number): boolean {
  return (largest ? va > vb : va < vb) || (va === vb && ia < ib);
}

/** Each row's candidates sorted by `before`, the first k kept, padded with (∓∞, −1). */
export function topKMergeCpu(inputs: HostTensors<'scores' | 'ids'>, attrs: TopKMergeAttrs, outputs: OutputArrays<'values' | 'indices'>): void {
  const { rows, parts } = topKMergeGeometry(inputs, attrs);
  const { k, largest = true } = attrs;
  const out = outputs.values as Float32Array;
  const outIndices = outputs.indices as Int32Array;
  for (let r = 0; r < rows; r++) {
    const candidates: { v: number; i: number }[] = [];
    for (let p = 0; p < parts; p++) {
      const i = inputs.ids.data[r * parts + p]!;
      if (i >= 0) candidates.push({ v: inputs.scores.data[r * parts + p]!, i });
    }
    candidates.sort((a, b) => (before(largest, a.v, a.i, b.v, b.i) ? -1 : before(largest, b.v, b.i, a.v, a.i) ? 1 : 0));
    for (let t = 0; t < k; t++) {
      out[r * k + t] = candidates[t]?.v ?? (largest ? -Infinity : Infinity);
      outIndices[r * k + t] = candidates[t]?.i ?? -1;
    }
  }
}
