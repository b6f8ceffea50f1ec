import { EvalError } from '../../errors.js';

/**
 * Weighted ridge regression by the normal equations: minimises Σᵢ wᵢ (yᵢ − xᵢ·β)² + λ‖β_penalised‖²
 * over the `columns` of `design` (row-major rows × columns). `penalised[j]` false leaves column j
 * (an intercept) out of the penalty. Solved by Cholesky in f64; the systems here are a few dozen
 * unknowns, so the normal equations' squared condition number is no concern at f64.
 */
export function weightedRidge(
  design: Float64Array,
  targets: Float64Array,
  weights: Float64Array,
  columns: number,
  lambda: number,
  penalised: (column: number) => boolean = () => true,
): Float64Array {
  const rows = targets.length;
  const gram = new Float64Array(columns * columns);
  const moment = new Float64Array(columns);
  for (let i = 0; i < rows; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    const row = i * columns;
    for (let a = 0; a < columns; a++) {
      const xa = design[row + a]! * w;
      if (xa === 0) continue;
      moment[a]! += xa * targets[i]!;
      for (let b = 0; b <= a; b++) gram[a * columns + b]! += xa * design[row + b]!;
    }
  }
  for (let a = 0; a < columns; a++) {
    for (let b = 0; b < a; b++) gram[b * columns + a] = gram[a * columns + b]!;
    if (penalised(a)) gram[a * columns + a]! += lambda;
  }
  return choleskySolve(gram, moment, columns);
}

/** Solves A x = b for a symmetric positive-definite A (n × n, row-major). */
export function choleskySolve(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * n + k]! * lower[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) {
          throw new EvalError('EVAL_VALUE_INVALID', `the regression's normal equations are singular at unknown ${i} of ${n}: some superpixel never changed across the samples; draw more samples or use fewer superpixels`);
        }
        lower[i * n + i] = Math.sqrt(sum);
      } else lower[i * n + j] = sum / lower[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * n + k]! * y[k]!;
    y[i] = sum / lower[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i]! * x[k]!;
    x[i] = sum / lower[i * n + i]!;
  }
  return x;
}
