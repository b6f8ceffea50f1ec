import type { WgslProgram } from '../../kernel.js';
import { ELEMENTWISE_WORKGROUP } from '../../webgpu/shader.js';
import { topKCapacity } from '../../kernels-shared/top-k-capacity.js';
import { topKMergeGeometry, type TopKMergeAttrs } from './top-k-merge.shape.js';

// One invocation per row, keeping the row's best k in a private array.
export const topKMergeWgsl: WgslProgram<'scores' | 'ids', 'values' | 'indices', TopKMergeAttrs> = {
  workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  key: ({ k, largest = true }) => `cap=${topKCapacity(k)},largest=${largest}`,
  uniforms: { parts: 'u32', k: 'u32', inf: 'u32' },
  uniformValues: (inputs, attrs) => ({ parts: topKMergeGeometry(inputs, attrs).parts, k: attrs.k, inf: 0x7f800000 }),
  launch: (inputs, attrs) => ({ kind: 'elementwise', invocations: topKMergeGeometry(inputs, attrs).rows }),
  declarations: ({ attrs: { largest = true } }) => `
fn before(va: f32, ia: i32, vb: f32, ib: i32) -> bool { return va ${largest ? '>' : '<'} vb || (va == vb && ia < ib); }`,
  body: ({ attrs: { k, largest = true } }) => `
  var vals: array<f32, ${topKCapacity(k)}>;
  var idx: array<i32, ${topKCapacity(k)}>;
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
};
