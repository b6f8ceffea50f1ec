/** A two-sample Kolmogorov–Smirnov test's outcome. */
export interface KsTest {
  /** D: the largest distance between the two empirical distribution functions. */
  readonly statistic: number;
  /** Two-sided, from Kolmogorov's limiting distribution at √(nm/(n+m))·D (see kolmogorovSurvival). */
  readonly pValue: number;
}

/**
 * The two-sided two-sample KS test. D is exact (ties handled as scipy.stats.ks_2samp does: both
 * distribution functions are evaluated after every distinct value); the p-value is the asymptotic
 * one, scipy.special.kolmogorov(√(nm/(n+m))·D), which for the windows monitoring uses (hundreds
 * of images against thousands) is within a few thousandths of ks_2samp's exact p-value.
 */
export function twoSampleKs(a: ArrayLike<number>, b: ArrayLike<number>): KsTest {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n && x[i]! <= v) i++;
    while (j < m && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const effective = (n * m) / (n + m);
  return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt(effective) * d) };
}

/**
 * P(K > λ) of Kolmogorov's distribution: 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}, and for small λ the
 * complementary theta series √(2π)/λ Σ e^{−(2k−1)²π²/(8λ²)} (the alternating sum converges too
 * slowly there).
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1) {
    let cdf = 0;
    for (let k = 1; k <= 20; k++) cdf += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
