import type { SoftmaxCrossEntropyAttrs } from './softmax-cross-entropy.js';

/** Reference loop: one row at a time, float64 arithmetic, one rounding per output. */
export function softmaxCrossEntropyCpu(
  logits: Float32Array,
  labels: Int32Array,
  weights: Float32Array,
  { rows, classes }: { rows: number; classes: number },
  { labelSmoothing = 0, scale = 1 }: SoftmaxCrossEntropyAttrs,
  grad: Float32Array,
  loss: Float32Array,
): void {
  const off = labelSmoothing / classes;
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
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c]! - top);
    const logSum = Math.log(sum);
    const w = scale * weights[y]!;
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const shifted = logits[base + c]! - top;
      const q = c === y ? off + 1 - labelSmoothing : off;
      total += q * (logSum - shifted);
      grad[base + c] = w * (Math.exp(shifted) / sum - q);
    }
    loss[r] = w * total;
  }
}
