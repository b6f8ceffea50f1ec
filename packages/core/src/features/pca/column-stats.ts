import { ShapeError } from '../../errors.js';

export interface ColumnStats {
  /** Column means, float64. */
  readonly mean: Float64Array;
  /** Sum of the column variances with divisor rows − 1 (the total variance PCA explains a share of). */
  readonly totalVariance: number;
  /** ‖mean‖² / totalVariance: how far the data sits from the origin compared with its spread. */
  readonly offsetRatio: number;
}

/**
 * One pass over X [rows × cols] in float64: column sums, four rows at a time (a quarter of the
 * memory traffic on the sums), and the sum of all squares, which is all the total variance needs.
 */
export function columnStats(x: Float32Array, rows: number, cols: number): ColumnStats {
  if (x.length !== rows * cols) throw new ShapeError(`columnStats: ${x.length} values are not ${rows}×${cols}`);
  const sums = new Float64Array(cols);
  let squares0 = 0;
  let squares1 = 0;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b0 = r * cols;
    const b1 = b0 + cols;
    const b2 = b1 + cols;
    const b3 = b2 + cols;
    for (let c = 0; c < cols; c++) {
      const v0 = x[b0 + c]!;
      const v1 = x[b1 + c]!;
      const v2 = x[b2 + c]!;
      const v3 = x[b3 + c]!;
      sums[c]! += v0 + v1 + v2 + v3;
      squares0 += v0 * v0 + v1 * v1;
      squares1 += v2 * v2 + v3 * v3;
    }
  }
  for (; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c]!;
      sums[c]! += v;
      squares0 += v * v;
    }
  }
  const mean = new Float64Array(cols);
  let meanNorm2 = 0;
  for (let c = 0; c < cols; c++) {
    mean[c] = sums[c]! / rows;
    meanNorm2 += mean[c]! * mean[c]!;
  }
  // Σx² − n‖μ‖² in float64 loses nothing that matters for f32 data unless ‖μ‖/spread exceeds ~1e5.
  const totalVariance = Math.max(0, squares0 + squares1 - rows * meanNorm2) / (rows - 1);
  return { mean, totalVariance, offsetRatio: totalVariance > 0 ? meanNorm2 / totalVariance : meanNorm2 > 0 ? Infinity : 0 };
}

/** X − 1·μᵀ as a new f32 array. */
export function centerRows(x: Float32Array, rows: number, cols: number, mean: Float64Array | Float32Array): Float32Array {
  const out = new Float32Array(rows * cols);
  const m = Float32Array.from(mean);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[base + c] = x[base + c]! - m[c]!;
  }
  return out;
}
