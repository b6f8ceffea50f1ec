/** How per-component p-values are corrected for testing many components at once. */
export const P_VALUE_CORRECTIONS = ['bonferroni', 'fdr'] as const;
export type PValueCorrection = (typeof P_VALUE_CORRECTIONS)[number];

/**
 * Adjusted p-values, as statsmodels' multipletests: 'bonferroni' multiplies by the count,
 * 'fdr' is Benjamini–Hochberg (p₍ᵢ₎·m/i, made monotone from the largest down); both capped at 1.
 */
export function adjustPValues(pValues: ArrayLike<number>, correction: PValueCorrection): Float64Array {
  const m = pValues.length;
  const out = new Float64Array(m);
  if (correction === 'bonferroni') {
    for (let i = 0; i < m; i++) out[i] = Math.min(1, pValues[i]! * m);
    return out;
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * m) / rank);
    out[i] = running;
  }
  return out;
}
