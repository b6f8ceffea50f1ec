import type { TypedArray } from '../../dtype.js';
import type { GramDims } from './gram.shape.js';

/** The reference: float64 sums over rows of (x − c)ᵢ(x − c)ⱼ, upper triangle mirrored (exactly symmetric). */
export function gramCpu(x: TypedArray, center: TypedArray, out: Float32Array, { rows, cols }: GramDims): void {
  const sums = new Float64Array(cols * cols);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) row[c] = x[r * cols + c]! - center[c]!;
    for (let i = 0; i < cols; i++) {
      const v = row[i]!;
      for (let j = i; j < cols; j++) sums[i * cols + j]! += v * row[j]!;
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) out[i * cols + j] = out[j * cols + i] = sums[i * cols + j]!;
  }
}
