import { EvalError } from '../errors.js';

/**
 * The standard normal quantile Φ⁻¹(p): Wichura's algorithm AS 241 (PPND16, Applied Statistics
 * 37:477–484, 1988), a rational approximation with relative error about 1e-16 — the accuracy
 * scipy's `norm.ppf` has, which statsmodels' intervals use. Only its two branches for
 * 1e-11 < min(p, 1 − p) are written out: confidence levels never need the far tails.
 */

const CENTRAL_NUMERATOR = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const CENTRAL_DENOMINATOR = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const TAIL_NUMERATOR = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const TAIL_DENOMINATOR = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];

/** Σ cₖ·xᵏ by Horner's rule. */
function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) value = value * x + coefficients[k]!;
  return value;
}

/** Φ⁻¹(p) for p with 1e-11 < min(p, 1 − p); throws EVAL_OPTION_INVALID otherwise. */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }
  const tail = q < 0 ? p : 1 - p;
  const r = Math.sqrt(-Math.log(tail));
  if (!(tail > 0) || r > 5) throw new EvalError('EVAL_OPTION_INVALID', `normalQuantile: p is ${p}; expected a probability with 1e-11 < min(p, 1 - p)`);
  const value = polynomial(TAIL_NUMERATOR, r - 1.6) / polynomial(TAIL_DENOMINATOR, r - 1.6);
  return q < 0 ? -value : value;
}
