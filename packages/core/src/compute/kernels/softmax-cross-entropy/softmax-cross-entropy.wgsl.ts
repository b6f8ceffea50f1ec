import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { softmaxCrossEntropyDims, type SoftmaxCrossEntropyAttrs, type SoftmaxCrossEntropyInputs } from './softmax-cross-entropy.shape.js';

// One invocation per row: its loss and its row of the gradient.
export const softmaxCrossEntropyWgsl = elementwiseWgsl<SoftmaxCrossEntropyInputs, 'grad' | 'loss', SoftmaxCrossEntropyAttrs>({
  each: 'loss',
  uniforms: { classes: 'u32', smoothing: 'f32', scale: 'f32' },
  uniformValues: (inputs, attrs) => ({ classes: softmaxCrossEntropyDims(inputs, attrs).classes, smoothing: attrs.labelSmoothing ?? 0, scale: attrs.scale ?? 1 }),
  body: () => `
  let c_count = params.classes;
  let base = i * c_count;
  let y = raw_labels(i);
  if (y < 0 || u32(y) >= c_count) {
    for (var c = 0u; c < c_count; c++) { grad[base + c] = 0.0; }
    loss[i] = 0.0;
    return;
  }
  var top = load_logits(base);
  for (var c = 1u; c < c_count; c++) { top = max(top, load_logits(base + c)); }
  var sum = 0.0;
  for (var c = 0u; c < c_count; c++) { sum += exp(load_logits(base + c) - top); }
  let log_sum = log(sum);
  let w = params.scale * load_rowWeights(i) * load_weights(u32(y));
  let off = params.smoothing / f32(c_count);
  var total = 0.0;
  for (var c = 0u; c < c_count; c++) {
    let shifted = load_logits(base + c) - top;
    var q = off;
    if (c == u32(y)) { q += 1.0 - params.smoothing; }
    total += q * (log_sum - shifted);
    grad[base + c] = w * (exp(shifted) / sum - q);
  }
  loss[i] = w * total;`,
});
