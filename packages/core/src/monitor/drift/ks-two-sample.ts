/**
 * The two-sided two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp computes it with
 * method='exact' (which is also what its default 'auto' picks while both samples have at most
 * 10,000 values): D = sup |F₁ − F₂| over the pooled values, and P(D ≥ d) under the null from the
 * lattice-path count of Hodges (1958) — the probability that a random path from (0, 0) to
 * (n₁, n₂) stays strictly inside the band |i/n₁ − j/n₂| < d, subtracted from 1.
 * (scipy counts the outside paths directly; the two agree to ~1e-12 absolute.)
 */
export interface KsTwoSample {
  readonly statistic: number;
  readonly pValue: number;
}

/** Both samples are sorted ascending in place (Float64Array.prototype.sort is numeric). */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsTwoSample {
  a.sort();
  b.sort();
  const n1 = a.length;
  const n2 = b.length;
  // The largest |i·n₂ − j·n₁| over the pooled values: F₁ − F₂ scaled by n₁·n₂, an exact integer.
  let i = 0;
  let j = 0;
  let widest = 0;
  while (i < n1 && j < n2) {
    const v = Math.min(a[i]!, b[j]!);
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    widest = Math.max(widest, Math.abs(i * n2 - j * n1));
  }
  const g = gcd(n1, n2);
  const h = widest / g; // d · lcm(n₁, n₂)
  const statistic = widest / (n1 * n2);
  if (h === 0) return { statistic, pValue: 1 };
  const pValue = n1 === n2 ? outsideSquare(n1, h) : 1 - insideBand(Math.max(n1, n2), Math.min(n1, n2), g, h);
  return { statistic, pValue: Math.min(1, Math.max(0, pValue)) };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Equal sizes: P(D ≥ h/n) = 2·Σ (−1)^(k−1) C(2n, n − kh) / C(2n, n), Horner-like as scipy does to avoid cancellation. */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * The share of lattice paths (m ≥ n) that keep |i·ng − j·mg| < h at every point, ng = n/g and
 * mg = m/g: one column of the path-count table at a time over the band's sliding window, rescaled
 * by powers of two (tracked in `exponent`) so the binomial-sized counts never overflow.
 */
function insideBand(m: number, n: number, g: number, h: number): number {
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let length = maxj - minj;
  let column = new Float64Array(n + 2);
  let next = new Float64Array(n + 2);
  column.fill(1, 0, maxj);
  let exponent = 0;
  for (let i = 1; i <= m; i++) {
    const lastMin = minj;
    const lastLength = length;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 0;
    length = maxj - minj;
    // Paths into (i, j) come from (i − 1, j) and (i, j − 1): a running sum over the previous column.
    let sum = 0;
    for (let t = 0; t < length; t++) {
      const from = minj - lastMin + t;
      sum += from < lastLength ? column[from]! : 0;
      next[t] = sum;
    }
    [column, next] = [next, column];
    const top = column[length - 1]!;
    const topExponent = frexpExponent(top);
    if (topExponent > 900) {
      const shift = topExponent - 800;
      for (let t = 0; t < length; t++) column[t] = ldexp(column[t]!, -shift);
      exponent += shift;
    }
  }
  let value = column[length - 1]!;
  // Divide by C(m + n, n) term by term, folding the exponent back in before it underflows.
  for (let i = 1; i <= n; i++) {
    value = (value * i) / (m + i);
    if (frexpExponent(value) < -128) {
      value = ldexp(value, exponent);
      exponent = 0;
    }
  }
  return ldexp(value, exponent);
}

/** x · 2^e in steps, since 2^e alone overflows for the exponents the rescaling accumulates. */
function ldexp(x: number, e: number): number {
  let out = x;
  let left = e;
  while (left > 1000) {
    out *= 2 ** 1000;
    left -= 1000;
  }
  while (left < -1000) {
    out *= 2 ** -1000;
    left += 1000;
  }
  return out * 2 ** left;
}

/** The exponent e of x = f·2^e with f in [0.5, 1), as math.frexp (0 for 0). */
function frexpExponent(x: number): number {
  return x === 0 ? 0 : Math.floor(Math.log2(Math.abs(x))) + 1;
}
