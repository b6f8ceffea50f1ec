import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { ntXentRows, type NtXentAttrs, type NtXentInputs } from './nt-xent.shape.js';

// One invocation per anchor row: its loss and its row of the gradient (rows are a batch's views,
// a few hundred at most, so a row's three passes over its similarities stay short).
export const ntXentWgsl = elementwiseWgsl<NtXentInputs, 'grad' | 'loss', NtXentAttrs>({
  each: 'loss',
  uniforms: { rows: 'u32', inv_t: 'f32', scale: 'f32' },
  uniformValues: (inputs, attrs) => ({ rows: ntXentRows(inputs, attrs), inv_t: 1 / attrs.temperature, scale: attrs.scale ?? 1 }),
  body: () => `
  let n = params.rows;
  let base = i * n;
  let own = raw_labels(i);
  var positives = 0u;
  var top = -3.0e38;
  for (var k = 0u; k < n; k++) {
    if (k == i) { continue; }
    if (raw_labels(k) == own) { positives++; }
    top = max(top, load_similarity(base + k) * params.inv_t);
  }
  if (positives == 0u) {
    for (var k = 0u; k < n; k++) { grad[base + k] = 0.0; }
    loss[i] = 0.0;
    return;
  }
  var sum = 0.0;
  for (var k = 0u; k < n; k++) {
    if (k != i) { sum += exp(load_similarity(base + k) * params.inv_t - top); }
  }
  let log_sum = log(sum) + top;
  let share = 1.0 / f32(positives);
  var total = 0.0;
  for (var k = 0u; k < n; k++) {
    if (k == i) { grad[base + k] = 0.0; continue; }
    let logit = load_similarity(base + k) * params.inv_t;
    var q = 0.0;
    if (raw_labels(k) == own) { q = share; total += log_sum - logit; }
    grad[base + k] = params.scale * params.inv_t * (exp(logit - top) / sum - q);
  }
  loss[i] = params.scale * total * share;`,
});
