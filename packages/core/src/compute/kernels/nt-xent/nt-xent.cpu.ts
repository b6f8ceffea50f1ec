import type { NtXentAttrs } from './nt-xent.shape.js';

let scratch = new Float64Array(0);

/** Reference loop: one anchor row at a time in float64, one rounding per output. */
export function ntXentCpu(similarity: Float32Array, labels: Int32Array, rows: number, { temperature, scale = 1 }: NtXentAttrs, grad: Float32Array, loss: Float32Array): void {
  if (scratch.length < rows) scratch = new Float64Array(rows);
  const exps = scratch;
  for (let i = 0; i < rows; i++) {
    const base = i * rows;
    let positives = 0;
    for (let k = 0; k < rows; k++) if (k !== i && labels[k] === labels[i]) positives++;
    if (positives === 0) {
      grad.fill(0, base, base + rows);
      loss[i] = 0;
      continue;
    }
    let top = -Infinity;
    for (let k = 0; k < rows; k++) if (k !== i) top = Math.max(top, similarity[base + k]! / temperature);
    let sum = 0;
    for (let k = 0; k < rows; k++) sum += exps[k] = k === i ? 0 : Math.exp(similarity[base + k]! / temperature - top);
    const logSum = Math.log(sum) + top;
    let total = 0;
    for (let k = 0; k < rows; k++) {
      if (k === i) {
        grad[base + k] = 0;
        continue;
      }
      const positive = labels[k] === labels[i];
      if (positive) total += logSum - similarity[base + k]! / temperature;
      grad[base + k] = (scale / temperature) * (exps[k]! / sum - (positive ? 1 / positives : 0));
    }
    loss[i] = (scale * total) / positives;
  }
}
