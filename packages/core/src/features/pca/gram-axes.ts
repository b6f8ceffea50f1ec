import type { BoundMatrix } from './matrix-engine.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * Principal axes from the samples' side, for fewer samples than features (N < D): the N×N Gram
 * matrix Xc·Xcᵀ of the centered data shares its nonzero eigenvalues with Xcᵀ·Xc, and an
 * eigenvector u of it gives the axis Xcᵀ·u. Costs 2·N²·D for the product and O(N³) for the
 * eigensolver instead of N·D² and O(D³).
 *
 * `centered` must be bound to X − 1·μᵀ. Axes without variance — there are at least D − N + 1 of
 * them, and more with duplicated rows or constant features — have no direction Xcᵀ·u can give;
 * they are completed deterministically from unit vectors orthogonal to the axes before them, which
 * is what any orthonormal basis of the null space is worth.
 */
export async function gramAxes(
  centered: BoundMatrix,
  centeredData: Float32Array,
  rows: number,
  cols: number,
  components: number,
): Promise<{ vectors: Float64Array; variances: Float64Array }> {
  const gram = await centered.timesTransposed(centeredData, rows);
  const covariance = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      const v = (gram[i * rows + j]! + gram[j * rows + i]!) / 2 / (rows - 1);
      covariance[i * rows + j] = covariance[j * rows + i] = v;
    }
  }
  const eigen = symmetricEigen(covariance, rows, components);
  const variances = eigen.values.slice(0, components);
  // Variances this close to zero are f32 rounding of the Gram product: their Xcᵀ·u is noise.
  const zero = Math.max(variances[0]!, 0) * rows * 2 ** -20;
  // Yᵀ·Xc wants Y as rows × components: the eigenvectors as columns.
  const u = new Float32Array(rows * components);
  for (let k = 0; k < components; k++) for (let r = 0; r < rows; r++) u[r * components + k] = eigen.vectors[k * rows + r]!;
  const projected = await centered.transposedTimes(u, components);
  const vectors = new Float64Array(components * cols);
  let accepted = 0;
  for (let k = 0; k < components; k++) {
    if (!(variances[k]! > zero)) break;
    const row = projected.subarray(k * cols, (k + 1) * cols);
    if (!appendOrthonormal(vectors, accepted, row, cols, 0.25)) break;
    accepted++;
  }
  for (let k = accepted; k < components; k++) variances[k] = 0;
  completeBasis(vectors, accepted, components, cols);
  return { vectors, variances };
}

/**
 * Removes from `candidate` its projections on the first `count` rows of `basis` (twice, for
 * orthogonality to rounding) and stores it, normalized, as row `count`: false when less than
 * `minKept` of its squared norm is left to give a direction.
 */
function appendOrthonormal(basis: Float64Array, count: number, candidate: Float64Array, cols: number, minKept: number): boolean {
  const x = Float64Array.from(candidate);
  let before = 0;
  for (let c = 0; c < cols; c++) before += x[c]! * x[c]!;
  if (!(before > 0)) return false;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < count; j++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += x[c]! * basis[j * cols + c]!;
      for (let c = 0; c < cols; c++) x[c]! -= dot * basis[j * cols + c]!;
    }
  }
  let after = 0;
  for (let c = 0; c < cols; c++) after += x[c]! * x[c]!;
  if (!(after > minKept * before)) return false;
  const scale = 1 / Math.sqrt(after);
  for (let c = 0; c < cols; c++) basis[count * cols + c] = x[c]! * scale;
  return true;
}

/**
 * Fills rows from…to−1 of `basis` with unit vectors e₀, e₁, … made orthogonal to the rows before
 * them. The residuals' squares of all D unit vectors sum to D − count ≥ 1, so some residual keeps
 * more than 1/(2D) of its unit vector while rows are missing.
 */
function completeBasis(basis: Float64Array, from: number, to: number, cols: number): void {
  const unit = new Float64Array(cols);
  let count = from;
  for (let c = 0; c < cols && count < to; c++) {
    unit.fill(0);
    unit[c] = 1;
    if (appendOrthonormal(basis, count, unit, cols, 0.5 / cols)) count++;
  }
}
