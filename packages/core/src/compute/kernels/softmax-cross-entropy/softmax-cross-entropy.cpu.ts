import type { SoftmaxCrossEntropyAttrs, SoftmaxCrossEntropyDims } from './softmax-cross-entropy.shape.js';

let scratch = new Float64Array(0);

/** Reference loop: one row at a time, float64 arithmetic, one rounding per output (each exp is computed once, kept in float64). */
export function softmaxCrossEntropyCpu(
  logits: Float32Array,
  labels: Int32Array,
  weights: Float32Array,
  rowWeights: Float32Array,
  { rows, classes }: SoftmaxCrossEntropyDims,
  { labelSmoothing = 0, scale = 1 }: SoftmaxCrossEntropyAttrs,
  grad: Float32Array,
  loss: Float32Array,
): void {
  const off = labelSmoothing / classes;
  if (scratch.length < classes) scratch = new Float64Array(classes);
  const exps = scratch;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const y = labels[r]!;
    if (y < 0 || y >= classes) {
      grad.fill(0, base, base + classes);
      loss[r] = 0;
      continue;
    }
    let top = -Infinity;
    for (let c = 0; c < classes; c++) top = Math.max(top, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += exps[c] = Math.exp(logits[base + c]! - top);
    const logSum = Math.log(sum);
    const w = scale * rowWeights[r]! * weights[y]!;
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const q = c === y ? off + 1 - labelSmoothing : off;
      total += q * (logSum - (logits[base + c]! - top));
      grad[base + c] = w * (exps[c]! / sum - q);
    }
    loss[r] = w * total;
  }
}
