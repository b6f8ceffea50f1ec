import { ShapeError } from '../../errors.js';

export interface ColumnStats {
  /** Column means, float64. */
  readonly mean: Float64Array;
  /** Sum of the column variances with divisor rows − 1 (the total variance PCA explains a share of). */
  readonly totalVariance: number;
  /** ‖mean‖² / totalVariance: how far the data sits from the origin compared with its spread. */
  readonly offsetRatio: number;
}

/** One pass over X [rows × cols]: column sums and sums of squares in float64. */
export function columnStats(x: Float32Array, rows: number, cols: number): ColumnStats {
  if (x.length !== rows * cols) throw new ShapeError(`columnStats: ${x.length} values are not ${rows}×${cols}`);
  const sums = new Float64Array(cols);
  const squares = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = x[base + c]!;
      sums[c]! += v;
      squares[c]! += v * v;
    }
  }
  const mean = new Float64Array(cols);
  let totalVariance = 0;
  let meanNorm2 = 0;
  for (let c = 0; c < cols; c++) {
    mean[c] = sums[c]! / rows;
    // Σx² − n·μ² in float64 loses nothing that matters for f32 data unless |μ|/σ exceeds ~1e5.
    totalVariance += Math.max(0, squares[c]! - rows * mean[c]! * mean[c]!) / (rows - 1);
    meanNorm2 += mean[c]! * mean[c]!;
  }
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
