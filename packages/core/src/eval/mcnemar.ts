import { EvalError } from '../errors.js';
import type { Labels } from './inputs.js';
import { chiSquaredSurvival } from './chi-squared-distribution.js';

/**
 * McNemar's test of two classifiers on the same samples: only the discordant pairs count —
 * `b` samples the first model got right and the second wrong, `c` the reverse. Under the null
 * hypothesis (equal error rates) b ~ Binomial(b + c, ½).
 *
 * With few discordant pairs the chi-squared approximation is poor, so the exact two-sided binomial
 * test is used below `EXACT_BELOW` discordant pairs (the usual rule of thumb, b + c < 25), and the
 * chi-squared statistic with Edwards' continuity correction, (|b − c| − 1)² / (b + c) on 1 degree
 * of freedom, from there on. Both match statsmodels' `mcnemar(table, exact=True)` and
 * `mcnemar(table, exact=False, correction=True)`.
 */
export const EXACT_BELOW = 25;

export type McNemarMethod = 'exact-binomial' | 'chi-squared-corrected';

export interface McNemarResult {
  /** First model right, second wrong. */
  readonly b: number;
  /** First model wrong, second right. */
  readonly c: number;
  readonly method: McNemarMethod;
  /** min(b, c) for the exact test; the corrected chi-squared statistic otherwise. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
}

/** The paired 2×2 table's discordant cells of two models' predicted classes against the labels. */
export function discordantPairs(labels: Labels, first: ArrayLike<number>, second: ArrayLike<number>): { b: number; c: number } {
  if (first.length !== labels.length || second.length !== labels.length) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `discordantPairs: ${labels.length} labels, ${first.length} and ${second.length} predictions; expected one prediction per label from each model`);
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < labels.length; i++) {
    const firstRight = first[i] === labels[i];
    const secondRight = second[i] === labels[i];
    if (firstRight && !secondRight) b++;
    else if (!firstRight && secondRight) c++;
  }
  return { b, c };
}

/** McNemar's test on the discordant counts; `method` forces one test, otherwise chosen by b + c (see EXACT_BELOW). */
export function mcnemarTest(b: number, c: number, method?: McNemarMethod): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new EvalError('EVAL_OPTION_INVALID', `mcnemarTest: discordant counts must be non-negative integers, got b = ${b}, c = ${c}`);
  }
  const n = b + c;
  const chosen = method ?? (n < EXACT_BELOW ? 'exact-binomial' : 'chi-squared-corrected');
  if (chosen === 'exact-binomial') {
    const statistic = Math.min(b, c);
    return { b, c, method: chosen, statistic, pValue: Math.min(1, 2 * binomialHalfCdf(statistic, n)) };
  }
  if (n === 0) {
    throw new EvalError('EVAL_UNDEFINED', 'mcnemarTest: the chi-squared test is undefined without discordant pairs (b + c = 0); use the exact test');
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, method: chosen, statistic, pValue: chiSquaredSurvival(statistic, 1) };
}

/** P(X ≤ k) for X ~ Binomial(n, ½), summed in log space so large n neither overflows nor underflows. */
function binomialHalfCdf(k: number, n: number): number {
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1);
  }
  return sum;
}
