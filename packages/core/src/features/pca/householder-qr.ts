import { ShapeError } from '../../errors.js';

/**
 * An orthonormal basis of the span of `count` vectors of length `length` (the rows of `rows`,
 * row-major), by Householder QR in float64: the thin Q of the matrix whose columns are those
 * vectors, returned as rows. Needs count ≤ length; a rank-deficient set still gets orthonormal
 * rows (completing the span).
 */
export function orthonormalizeRows(rows: Float64Array | Float32Array, count: number, length: number): Float64Array {
  if (rows.length !== count * length) throw new ShapeError(`orthonormalizeRows: ${rows.length} values are not ${count} rows of ${length}`);
  if (count > length) throw new ShapeError(`orthonormalizeRows: ${count} vectors of length ${length} cannot be orthonormal`);
  const a = Float64Array.from(rows);
  // Reflector j is v_j (zero before entry j) with H_j = I − β_j v_j v_jᵀ; v_j overwrites row j.
  const betas = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const row = j * length;
    let scale = 0;
    for (let i = j; i < length; i++) scale = Math.max(scale, Math.abs(a[row + i]!));
    if (scale === 0) {
      // A zero column: reflect e_j into place so Q still gets a unit column here.
      betas[j] = 0;
      continue;
    }
    let norm2 = 0;
    for (let i = j; i < length; i++) norm2 += (a[row + i]! / scale) ** 2;
    const x0 = a[row + j]!;
    const alpha = -(x0 >= 0 ? 1 : -1) * Math.sqrt(norm2) * scale;
    for (let i = 0; i < j; i++) a[row + i] = 0;
    a[row + j] = x0 - alpha;
    let vv = 0;
    for (let i = j; i < length; i++) vv += a[row + i]! * a[row + i]!;
    const beta = 2 / vv;
    betas[j] = beta;
    // Apply H_j to the vectors still to be processed.
    for (let k = j + 1; k < count; k++) {
      const other = k * length;
      let dot = 0;
      for (let i = j; i < length; i++) dot += a[row + i]! * a[other + i]!;
      const f = beta * dot;
      for (let i = j; i < length; i++) a[other + i]! -= f * a[row + i]!;
    }
  }
  // Q's column j is H_0 H_1 ⋯ H_{count−1} e_j: apply the reflectors to e_j, last first.
  const q = new Float64Array(count * length);
  for (let j = 0; j < count; j++) q[j * length + j] = 1;
  for (let r = count - 1; r >= 0; r--) {
    const beta = betas[r]!;
    if (beta === 0) continue;
    const row = r * length;
    for (let j = 0; j < count; j++) {
      const base = j * length;
      let dot = 0;
      for (let i = r; i < length; i++) dot += a[row + i]! * q[base + i]!;
      if (dot === 0) continue;
      const f = beta * dot;
      for (let i = r; i < length; i++) q[base + i]! -= f * a[row + i]!;
    }
  }
  return q;
}
