import { ShapeError } from '../../../errors.js';
import type { KernelDef, Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

export interface TopKMergeAttrs {
  readonly k: number;
  /** true (default): keep the largest values (similarities); false: the smallest (distances). */
  readonly largest?: boolean;
}

/** Each invocation keeps its row's best k in private memory. */
export const MAX_TOP_K_MERGE = 256;

function capacity(k: number): number {
  return Math.max(8, 2 ** Math.ceil(Math.log2(k)));
}

function geometry({ scores: values, ids: indices }: Specs<'scores' | 'ids'>, { k }: TopKMergeAttrs): { rows: number; parts: number } {
  const name = 'kernel "top-k-merge"';
  if (values.shape.length < 1 || formatShape(values.shape) !== formatShape(indices.shape)) {
    throw new ShapeError(`${name}: scores ${formatShape(values.shape)} and ids ${formatShape(indices.shape)} must have one shape [..., candidates]`);
  }
  if (!Number.isInteger(k) || k < 1 || k > MAX_TOP_K_MERGE) throw new ShapeError(`${name}: k = ${k} must be an integer in [1, ${MAX_TOP_K_MERGE}]`);
  const parts = values.shape[values.shape.length - 1]!;
  return { rows: sizeOf(values.shape.slice(0, -1)), parts };
}

/** Candidate a ranks before candidate b: a better value, or an equal value and a lower index. */
function before(largest: boolean, va: number, ia: number, vb: number, ib: number): boolean {
  return (largest ? va > vb : va < vb) || (va === vb && ia < ib);
}

/**
 * The second step of flat search on the GPU: merges candidate lists (scores, ids) along the last
 * axis — e.g. similarity-top-k's [m, chunks · k] — into each row's k best, skipping index −1
 * padding; rows with fewer than k candidates are padded with (∓∞, −1). Equal values rank the lower
 * index first, so the result does not depend on candidate order.
 */
export const topKMerge: KernelDef<'scores' | 'ids', 'values' | 'indices', TopKMergeAttrs> = {
  name: 'top-k-merge',
  description: 'merges (value, index) candidate lists into the k best per row, skipping index −1',
  inputs: { scores: ['f32'], ids: ['i32'] },
  outputs: (inputs, attrs) => {
    geometry(inputs, attrs);
    const shape = [...inputs.scores.shape.slice(0, -1), attrs.k];
    return { values: { shape, dtype: 'f32' }, indices: { shape, dtype: 'i32' } };
  },
  cpu: (inputs, attrs, outputs) => {
    const { rows, parts } = geometry(inputs, attrs);
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
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ k, largest = true }) => `cap=${capacity(k)},largest=${largest}`,
    uniforms: { parts: 'u32', k: 'u32', inf: 'u32' },
    uniformValues: (inputs, attrs) => ({ parts: geometry(inputs, attrs).parts, k: attrs.k, inf: 0x7f800000 }),
    launch: (inputs, attrs) => ({ kind: 'elementwise', invocations: geometry(inputs, attrs).rows }),
    declarations: ({ attrs: { largest = true } }) => `
fn before(va: f32, ia: i32, vb: f32, ib: i32) -> bool { return va ${largest ? '>' : '<'} vb || (va == vb && ia < ib); }`,
    body: ({ attrs: { k, largest = true } }) => `
  var vals: array<f32, ${capacity(k)}>;
  var idx: array<i32, ${capacity(k)}>;
  let k = params.k;
  var count = 0u;
  for (var p = 0u; p < params.parts; p++) {
    let id = raw_ids(i * params.parts + p);
    if (id < 0) { continue; }
    let v = load_scores(i * params.parts + p);
    if (count == k && !before(v, id, vals[k - 1u], idx[k - 1u])) { continue; }
    var pos = min(count, k - 1u);
    while (pos > 0u && before(v, id, vals[pos - 1u], idx[pos - 1u])) {
      vals[pos] = vals[pos - 1u];
      idx[pos] = idx[pos - 1u];
      pos--;
    }
    vals[pos] = v;
    idx[pos] = id;
    count = min(count + 1u, k);
  }
  let pad = ${largest ? '-' : ''}bitcast<f32>(params.inf);
  for (var t = 0u; t < k; t++) {
    if (t < count) {
      values[i * k + t] = vals[t];
      indices[i * k + t] = idx[t];
    } else {
      values[i * k + t] = pad;
      indices[i * k + t] = -1;
    }
  }`,
  },
  tolerance: 0,
};
