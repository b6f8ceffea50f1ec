import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
import { sizeOf } from '../../shape.js';

export interface TopKAttrs {
  readonly k: number;
  /** true (default): the k largest values, e.g. similarities; false: the k smallest, e.g. L2 distances. */
  readonly largest?: boolean;
}

/** Each GPU invocation keeps its row's best k in private memory, so k is bounded. */
export const MAX_TOP_K = 256;

function geometry(x: TensorSpec, { k }: TopKAttrs): { rows: number; n: number } {
  const n = x.shape[x.shape.length - 1] ?? 0;
  if (x.shape.length === 0) throw new ShapeError('kernel "top-k": input must have rank ≥ 1');
  if (!Number.isInteger(k) || k < 1 || k > n || k > MAX_TOP_K) {
    throw new ShapeError(`kernel "top-k": k = ${k} must be an integer in [1, min(${n}, ${MAX_TOP_K})] (the last axis has ${n})`);
  }
  return { rows: sizeOf(x.shape.slice(0, -1)), n };
}

/** Smallest power of two ≥ k (at least 8): one compiled pipeline per bucket, not per k. */
function capacity(k: number): number {
  return Math.max(8, 2 ** Math.ceil(Math.log2(k)));
}

/**
 * The k best values of each row along the last axis and their indices, best first.
 * Ties keep the lower index first, on both backends (the scan is in index order and only a
 * strictly better value displaces one already kept).
 */
export const topK: KernelDef<'x', 'values' | 'indices', TopKAttrs> = {
  name: 'top-k',
  description: 'k largest (or smallest) values along the last axis with their indices, sorted',
  inputs: { x: ['f32'] },
  outputs: ({ x }, attrs) => {
    geometry(x, attrs);
    const shape = [...x.shape.slice(0, -1), attrs.k];
    return { values: { shape, dtype: 'f32' }, indices: { shape, dtype: 'i32' } };
  },
  cpu: ({ x }, attrs, { values, indices }) => {
    const { rows, n } = geometry(x, attrs);
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
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ k, largest = true }) => `cap=${capacity(k)},largest=${largest}`,
    uniforms: { n: 'u32', k: 'u32' },
    uniformValues: ({ x }, attrs) => ({ n: geometry(x, attrs).n, k: attrs.k }),
    launch: ({ x }, attrs) => ({ kind: 'elementwise', invocations: geometry(x, attrs).rows }),
    declarations: ({ attrs: { largest = true } }) => `fn better(a: f32, b: f32) -> bool { return a ${largest ? '>' : '<'} b; }`,
    body: ({ attrs: { k } }) => `
  var vals: array<f32, ${capacity(k)}>;
  var idx: array<i32, ${capacity(k)}>;
  let k = params.k;
  var count = 0u;
  for (var j = 0u; j < params.n; j++) {
    let v = load_x(i * params.n + j);
    if (count == k && !better(v, vals[k - 1u])) { continue; }
    var pos = min(count, k - 1u);
    while (pos > 0u && better(v, vals[pos - 1u])) {
      vals[pos] = vals[pos - 1u];
      idx[pos] = idx[pos - 1u];
      pos--;
    }
    vals[pos] = v;
    idx[pos] = i32(j);
    count = min(count + 1u, k);
  }
  for (var t = 0u; t < k; t++) {
    values[i * k + t] = vals[t];
    indices[i * k + t] = idx[t];
  }`,
  },
  tolerance: 0,
};
