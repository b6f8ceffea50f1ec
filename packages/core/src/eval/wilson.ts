import { EvalError } from '../errors.js';
import { normalQuantile } from './normal-quantile.js';

/** A proportion k/n with its confidence interval; all NaN when n = 0 (no case to count). */
export interface ProportionInterval {
  /** k: the cases that count as a success (e.g. true positives). */
  successes: number;
  /** n: the cases the proportion is over (e.g. every positive). */
  trials: number;
  estimate: number;
  low: number;
  high: number;
}

/** Throws unless the level is in [0.5, 1 − 1e-10]: the coverage of a two-sided interval. */
export function checkLevel(what: string, level: number): void {
  if (!(level >= 0.5 && level <= 1 - 1e-10)) throw new EvalError('EVAL_OPTION_INVALID', `${what}: level is ${level}; expected a coverage in [0.5, 1) such as 0.95`);
}

/**
 * The Wilson score interval of k successes in n trials (Wilson 1927), as statsmodels'
 * `proportion_confint(k, n, alpha=1-level, method='wilson')` computes it: with z = Φ⁻¹(1 − α/2)
 * and p̂ = k/n, centre (p̂ + z²/2n)/(1 + z²/n) ± z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n). Unlike the
 * Wald interval it stays inside [0, 1] and is not degenerate at k = 0 or k = n, which is why
 * clinical reports of sensitivity and specificity on small test sets use it.
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): ProportionInterval {
  checkLevel('wilsonInterval', level);
  if (!Number.isInteger(trials) || trials < 0 || !Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new EvalError('EVAL_OPTION_INVALID', `wilsonInterval: ${successes} successes in ${trials} trials; expected integers with 0 ≤ successes ≤ trials`);
  }
  if (trials === 0) return { successes, trials, estimate: Number.NaN, low: Number.NaN, high: Number.NaN };
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const p = successes / trials;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At k = 0 and k = n a bound is 0 or 1 up to rounding (statsmodels leaves e.g. -1e-17); it is clamped.
  return { successes, trials, estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
