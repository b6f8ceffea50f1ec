import { NumericalError, ShapeError } from '../../errors.js';

/** Eigenvalues in descending order and, row by row, their unit eigenvectors. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** `count` × n, row-major: row r is the eigenvector of values[r]. */
  readonly vectors: Float64Array;
  readonly count: number;
}

/** QL iterations allowed per eigenvalue before giving up (it converges in 1–3 in practice). */
const MAX_ITERATIONS = 60;

/**
 * Eigen-decomposition of a symmetric matrix in float64: Householder reduction to tridiagonal form,
 * then the implicit QL algorithm with Wilkinson-like shifts on the tridiagonal matrix, then the
 * eigenvectors mapped back through the reflectors. `a` is n×n row-major (only read, never changed);
 * `count` limits how many eigenvectors (of the largest eigenvalues) are returned.
 */
export function symmetricEigen(a: Float64Array | Float32Array, n: number, count: number = n): SymmetricEigen {
  if (a.length !== n * n) throw new ShapeError(`symmetricEigen: ${a.length} values do not make a ${n}×${n} matrix`);
  if (!Number.isInteger(count) || count < 0 || count > n) throw new ShapeError(`symmetricEigen: count ${count} must be an integer in [0, ${n}]`);
  const work = Float64Array.from(a);
  const bad = work.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new NumericalError(`symmetricEigen: the ${n}×${n} matrix holds ${work[bad]} at (${Math.floor(bad / n)}, ${bad % n}); eigenvalues need finite numbers`, { details: { nonFinite: true } });
  const { diagonal, offDiagonal, betas } = tridiagonalize(work, n);
  const values = new Float64Array(n);
  const vectors = new Float64Array(count * n);
  if (count * PARTIAL_VECTORS_FACTOR <= n) {
    // A few eigenvectors: eigenvalues alone by QL (O(n²)), vectors by inverse iteration (O(n) each).
    const d = Float64Array.from(diagonal);
    implicitQl(d, Float64Array.from(offDiagonal), null, n);
    values.set(d.sort().reverse());
    inverseIteration(diagonal, offDiagonal, values, count, vectors, n);
  } else {
    // Tridiagonal eigenvectors as rows of z (row r belongs to d[r] after QL).
    const z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    const d = Float64Array.from(diagonal);
    implicitQl(d, Float64Array.from(offDiagonal), z, n);
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[q]! - d[p]!);
    order.forEach((from, to) => {
      values[to] = d[from]!;
      if (to < count) vectors.set(z.subarray(from * n, from * n + n), to * n);
    });
  }
  applyReflectors(work, betas, n, vectors, count);
  return { values, vectors, count };
}

/** Up to n / this many eigenvectors are found by inverse iteration instead of accumulating QL's rotations. */
export const PARTIAL_VECTORS_FACTOR = 4;

/**
 * Householder tridiagonalization in place. Step k zeroes row/column k beyond the first
 * off-diagonal with H = I − β v vᵀ; v is kept in row k (columns k+1…) of `a`, β in `betas`.
 * The trailing block is kept as its upper triangle only, and each step sweeps it once: the
 * rank-two update of step k and the product with the next reflector (step k+1's β·S·v) share
 * one pass through memory, which is what bounds this loop.
 */
function tridiagonalize(a: Float64Array, n: number): { diagonal: Float64Array; offDiagonal: Float64Array; betas: Float64Array } {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n); // offDiagonal[k] couples k and k+1
  const betas = new Float64Array(n);
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  if (n > 2) {
    reflector(a, n, 0, diagonal, offDiagonal, betas);
    sweep(a, n, 1, -1, w, 0, betas[0]!, p);
  }
  for (let k = 0; k < n - 2; k++) {
    const row = k * n;
    const beta = betas[k]!;
    if (beta !== 0) {
      // w = p − (β/2)(pᵀv)·v, then row k+1 (the next reflector's source) gets its update first.
      let pv = 0;
      for (let i = k + 1; i < n; i++) pv += p[i]! * a[row + i]!;
      const half = (beta / 2) * pv;
      for (let i = k + 1; i < n; i++) w[i] = p[i]! - half * a[row + i]!;
      const next = (k + 1) * n;
      const vi = a[row + k + 1]!;
      const wi = w[k + 1]!;
      for (let j = k + 1; j < n; j++) a[next + j]! -= vi * w[j]! + wi * a[row + j]!;
    }
    if (k + 1 < n - 2) reflector(a, n, k + 1, diagonal, offDiagonal, betas);
    sweep(a, n, k + 2, beta !== 0 ? k : -1, w, k + 1, k + 1 < n - 2 ? betas[k + 1]! : 0, p);
  }
  if (n >= 2) {
    diagonal[n - 2] = a[(n - 2) * n + n - 2]!;
    offDiagonal[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  if (n >= 1) diagonal[n - 1] = a[n * n - 1]!;
  return { diagonal, offDiagonal, betas };
}

/**
 * The reflector of step k from row k (columns k+1…): v = x − α·e1 with α = −sign(x0)‖x‖ (no
 * cancellation), scaled against overflow; records d[k], e[k] = α and β = 2 / vᵀv (0: nothing to do).
 */
function reflector(a: Float64Array, n: number, k: number, diagonal: Float64Array, offDiagonal: Float64Array, betas: Float64Array): void {
  const row = k * n;
  diagonal[k] = a[row + k]!;
  let scale = 0;
  for (let j = k + 1; j < n; j++) scale = Math.max(scale, Math.abs(a[row + j]!));
  if (scale === 0) {
    offDiagonal[k] = 0;
    betas[k] = 0;
    return;
  }
  let norm2 = 0;
  for (let j = k + 1; j < n; j++) norm2 += (a[row + j]! / scale) ** 2;
  const x0 = a[row + k + 1]!;
  const alpha = -(x0 >= 0 ? 1 : -1) * Math.sqrt(norm2) * scale;
  a[row + k + 1] = x0 - alpha;
  let vv = 0;
  for (let j = k + 1; j < n; j++) vv += a[row + j]! * a[row + j]!;
  betas[k] = 2 / vv;
  offDiagonal[k] = alpha;
}

/**
 * One pass over the upper triangle of rows from…n−1: subtract v·wᵀ + w·vᵀ (v in row `updateRow`,
 * none when −1), and accumulate p = β·S·u for the reflector u in row `productRow` (none when β is 0).
 * Rows go two at a time where both apply (sweepRowPair): the same operations in the same order.
 */
function sweep(a: Float64Array, n: number, from: number, updateRow: number, w: Float64Array, productRow: number, beta: number, p: Float64Array): void {
  p.fill(0);
  const v = updateRow * n;
  const u = productRow * n;
  for (let i = from; i < n; i++) {
    if (updateRow >= 0 && beta !== 0 && i + 1 < n) {
      sweepRowPair(a, n, i, v, u, w, p);
      i++;
      continue;
    }
    const ri = i * n;
    if (updateRow >= 0) {
      const vi = a[v + i]!;
      const wi = w[i]!;
      if (beta !== 0) {
        const ui = a[u + i]!;
        const diag = a[ri + i]! - (vi * w[i]! + wi * a[v + i]!);
        a[ri + i] = diag;
        let sum = diag * ui;
        for (let j = i + 1; j < n; j++) {
          const s = a[ri + j]! - (vi * w[j]! + wi * a[v + j]!);
          a[ri + j] = s;
          sum += s * a[u + j]!;
          p[j]! += s * ui;
        }
        p[i]! += sum;
      } else {
        for (let j = i; j < n; j++) a[ri + j]! -= vi * w[j]! + wi * a[v + j]!;
      }
    } else if (beta !== 0) {
      const ui = a[u + i]!;
      let sum = a[ri + i]! * ui;
      for (let j = i + 1; j < n; j++) {
        const s = a[ri + j]!;
        sum += s * a[u + j]!;
        p[j]! += s * ui;
      }
      p[i]! += sum;
    }
  }
  if (beta !== 0) for (let i = from; i < n; i++) p[i]! *= beta;
}

/**
 * Rows i and i + 1 of sweep's update-and-product, sharing each column's loads of w, v, u and p
 * (the loop is bound by memory traffic). Every value gets the operations one row at a time would
 * give it, in the same order — row i's term of p[j] before row i + 1's — so the bits are the same.
 */
function sweepRowPair(a: Float64Array, n: number, i: number, v: number, u: number, w: Float64Array, p: Float64Array): void {
  const ri = i * n;
  const rk = ri + n;
  const k = i + 1;
  const vi = a[v + i]!;
  const wi = w[i]!;
  const ui = a[u + i]!;
  const vk = a[v + k]!;
  const wk = w[k]!;
  const uk = a[u + k]!;
  const diag = a[ri + i]! - (vi * w[i]! + wi * a[v + i]!);
  a[ri + i] = diag;
  let sum = diag * ui;
  const near = a[ri + k]! - (vi * w[k]! + wi * a[v + k]!);
  a[ri + k] = near;
  sum += near * a[u + k]!;
  p[k]! += near * ui;
  const diagK = a[rk + k]! - (vk * w[k]! + wk * a[v + k]!);
  a[rk + k] = diagK;
  let sumK = diagK * uk;
  for (let j = k + 1; j < n; j++) {
    const wj = w[j]!;
    const vj = a[v + j]!;
    const uj = a[u + j]!;
    const s = a[ri + j]! - (vi * wj + wi * vj);
    a[ri + j] = s;
    sum += s * uj;
    const t = a[rk + j]! - (vk * wj + wk * vj);
    a[rk + j] = t;
    sumK += t * uj;
    p[j] = p[j]! + s * ui + t * uk;
  }
  p[i]! += sum;
  p[k]! += sumK;
}

/**
 * Implicit QL with shifts on the tridiagonal (d, e), rotating the rows of z along (when given). On
 * return d holds the eigenvalues (unsorted) and row r of z the eigenvector of d[r] in the
 * tridiagonal basis.
 */
function implicitQl(d: Float64Array, e: Float64Array, z: Float64Array | null, n: number): void {
  e[n - 1] = 0;
  // An off-diagonal below ε·‖T‖ changes no eigenvalue by more than rounding already does. The test
  // relative to the two neighbouring diagonals alone never fires inside a cluster of (numerically)
  // zero eigenvalues — a rank-deficient covariance, e.g. fewer samples than features — where the
  // shifts only stir rounding noise and QL would never converge.
  const negligible = Number.EPSILON * tridiagonalNorm(d, e, n);
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      // Find a negligible off-diagonal element: the matrix splits there.
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd || Math.abs(e[m]!) <= negligible) break;
      }
      if (m === l) break;
      if (iteration === MAX_ITERATIONS) {
        throw new NumericalError(`symmetricEigen: the QL iteration did not converge for eigenvalue ${l} of ${n} within ${MAX_ITERATIONS} iterations`, { details: { eigenvalue: l, size: n } });
      }
      // Shift from the trailing 2×2 of the unreduced block at l.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: deflate and start over.
          d[i + 1]! -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        // The same rotation on rows i and i+1 of z.
        if (z) rotateRows(z.subarray(i * n, i * n + n), z.subarray(i * n + n, i * n + 2 * n), c, s);
      }
      if (r === 0 && i >= l) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** The largest absolute row sum of the tridiagonal (d, e): its ∞-norm, a bound on every |eigenvalue|. */
function tridiagonalNorm(d: Float64Array, e: Float64Array, n: number): number {
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < n - 1 ? Math.abs(e[i]!) : 0));
  return norm;
}

/** (x, y) ← (c·x − s·y, s·x + c·y), element-wise over two rows. */
function rotateRows(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let k = 0; k < x.length; k++) {
    const xk = x[k]!;
    const yk = y[k]!;
    x[k] = c * xk - s * yk;
    y[k] = s * xk + c * yk;
  }
}

/**
 * Eigenvectors of the tridiagonal (d, e) for its `count` largest eigenvalues `values` (sorted
 * descending), by inverse iteration: a few solves of (T − λI)x = b with partial pivoting. Vectors
 * of eigenvalues closer than 1e-3·‖T‖ are kept orthogonal to each other by Gram–Schmidt, as in
 * LAPACK's stein.
 */
function inverseIteration(d: Float64Array, e: Float64Array, values: Float64Array, count: number, out: Float64Array, n: number): void {
  const norm = tridiagonalNorm(d, e, n);
  const tiny = Math.max(norm, Number.MIN_VALUE) * Number.EPSILON;
  const clusterGap = 1e-3 * norm;
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const multipliers = new Float64Array(n);
  const swapped = new Uint8Array(n);
  const x = new Float64Array(n);
  let clusterStart = 0;
  for (let k = 0; k < count; k++) {
    if (k > 0 && values[k - 1]! - values[k]! > clusterGap) clusterStart = k;
    // LU of T − λI with partial pivoting: U has two superdiagonals.
    const lambda = values[k]!;
    for (let i = 0; i < n; i++) {
      u0[i] = d[i]! - lambda;
      u1[i] = i < n - 1 ? e[i]! : 0;
      u2[i] = 0;
    }
    for (let i = 0; i < n - 1; i++) {
      const below = e[i]!;
      if (Math.abs(u0[i]!) >= Math.abs(below)) {
        swapped[i] = 0;
        const m = u0[i] === 0 ? 0 : below / u0[i]!;
        if (u0[i] === 0) u0[i] = tiny;
        multipliers[i] = m;
        u0[i + 1]! -= m * u1[i]!;
      } else {
        swapped[i] = 1;
        const m = u0[i]! / below;
        multipliers[i] = m;
        const [pivotDiag, pivotSuper] = [u0[i + 1]!, u1[i + 1]!];
        u0[i + 1] = u1[i]! - m * pivotDiag;
        u1[i + 1] = -m * pivotSuper;
        u0[i] = below;
        u1[i] = pivotDiag;
        u2[i] = pivotSuper;
      }
    }
    if (u0[n - 1] === 0) u0[n - 1] = tiny;
    // Start from a fixed vector with no special direction; three solves converge for a simple pole.
    for (let i = 0; i < n; i++) x[i] = 1 + ((i * 7919) % 101) / 1010;
    for (let iteration = 0; iteration < 3; iteration++) {
      for (let i = 0; i < n - 1; i++) {
        if (swapped[i]) [x[i], x[i + 1]] = [x[i + 1]!, x[i]!];
        x[i + 1]! -= multipliers[i]! * x[i]!;
      }
      for (let i = n - 1; i >= 0; i--) {
        let v = x[i]!;
        if (i + 1 < n) v -= u1[i]! * x[i + 1]!;
        if (i + 2 < n) v -= u2[i]! * x[i + 2]!;
        x[i] = v / u0[i]!;
      }
      for (let j = clusterStart; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i]! * out[j * n + i]!;
        for (let i = 0; i < n; i++) x[i]! -= dot * out[j * n + i]!;
      }
      let norm2 = 0;
      for (let i = 0; i < n; i++) norm2 += x[i]! * x[i]!;
      const scale = 1 / Math.sqrt(norm2);
      for (let i = 0; i < n; i++) x[i]! *= scale;
    }
    out.set(x, k * n);
  }
}

/** Maps tridiagonal eigenvectors (rows of `vectors`) back to the original basis: u = H0·H1⋯·z. */
function applyReflectors(a: Float64Array, betas: Float64Array, n: number, vectors: Float64Array, count: number): void {
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const row = k * n;
    for (let r = 0; r < count; r++) {
      const base = r * n;
      let dot = 0;
      for (let j = k + 1; j < n; j++) dot += a[row + j]! * vectors[base + j]!;
      const f = beta * dot;
      for (let j = k + 1; j < n; j++) vectors[base + j]! -= f * a[row + j]!;
    }
  }
}
