/** Entropy of a probability vector over ln(classes): 0 when one class is certain, 1 when all are equal. */
export function normalisedEntropy(probabilities: readonly number[]): number {
  if (probabilities.length < 2) return 0;
  let entropy = 0;
  for (const p of probabilities) if (p > 0) entropy -= p * Math.log(p);
  // Rounding can push a uniform vector a hair past 1.
  return Math.min(1, Math.max(0, entropy / Math.log(probabilities.length)));
}

/**
 * What the similar cases' vote says about a decided class: the class it favours (the decided one
 * when it ties for the most votes, so only a class with more votes disagrees; else the first of the
 * most voted) and the share of the vote that went to the decided one; nulls when nothing voted.
 */
export function knnAgreementWith(vote: readonly number[], decided: number): { knnClass: number | null; knnAgreement: number | null } {
  const total = vote.reduce((sum, v) => sum + v, 0);
  if (!(total > 0)) return { knnClass: null, knnAgreement: null };
  const most = Math.max(...vote);
  return { knnClass: vote[decided] === most ? decided : vote.indexOf(most), knnAgreement: vote[decided]! / total };
}
