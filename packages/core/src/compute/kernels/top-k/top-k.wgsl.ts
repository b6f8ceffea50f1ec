import type { WgslProgram } from '../../kernel.js';
import { ELEMENTWISE_WORKGROUP } from '../../webgpu/shader.js';
import { topKCapacity } from '../../kernels-shared/top-k-capacity.js';
import { topKGeometry, type TopKAttrs } from './top-k.shape.js';

// One invocation per row, keeping the row's best k in a private array.
export const topKWgsl: WgslProgram<'x', 'values' | 'indices', TopKAttrs> = {
  workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  key: ({ k, largest = true }) => `cap=${topKCapacity(k)},largest=${largest}`,
  uniforms: { n: 'u32', k: 'u32' },
  uniformValues: ({ x }, attrs) => ({ n: topKGeometry(x, attrs).n, k: attrs.k }),
  launch: ({ x }, attrs) => ({ kind: 'elementwise', invocations: topKGeometry(x, attrs).rows }),
  declarations: ({ attrs: { largest = true } }) => `fn better(a: f32, b: f32) -> bool { return a ${largest ? '>' : '<'} b; }`,
  body: ({ attrs: { k } }) => `
  var vals: array<f32, ${topKCapacity(k)}>;
  var idx: array<i32, ${topKCapacity(k)}>;
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
};
