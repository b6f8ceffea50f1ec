import { L2_NORMALIZE_EPSILON } from './l2-normalize-rows.shape.js';

/** Reference loop: each row's norm in float64, then x / max(norm, ε). */
export function l2NormalizeRowsCpu(x: Float32Array, rows: number, columns: number, out: Float32Array, norm: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    let sum = 0;
    for (let c = 0; c < columns; c++) sum += x[base + c]! * x[base + c]!;
    const length = Math.sqrt(sum);
    const divisor = Math.max(length, L2_NORMALIZE_EPSILON);
    for (let c = 0; c < columns; c++) out[base + c] = x[base + c]! / divisor;
    norm[r] = length;
  }
}
