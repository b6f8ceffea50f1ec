import { L2_NORMALIZE_EPSILON } from '../l2-normalize-rows/l2-normalize-rows.shape.js';

/** Reference loop: y·dy per row in float64, then dx = (dy − y·(y·dy)) / norm (dy / ε below ε, where the forward is x / ε). */
export function l2NormalizeRowsBackwardCpu(y: Float32Array, norm: Float32Array, dy: Float32Array, rows: number, columns: number, dx: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    const length = norm[r]!;
    if (length < L2_NORMALIZE_EPSILON) {
      for (let c = 0; c < columns; c++) dx[base + c] = dy[base + c]! / L2_NORMALIZE_EPSILON;
      continue;
    }
    let dot = 0;
    for (let c = 0; c < columns; c++) dot += y[base + c]! * dy[base + c]!;
    for (let c = 0; c < columns; c++) dx[base + c] = (dy[base + c]! - y[base + c]! * dot) / length;
  }
}
