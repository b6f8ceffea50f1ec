import { chiSquaredSurvival } from '../../eval/chi-squared-distribution.js';

/** A chi-squared test of homogeneity's outcome. */
export interface ChiSquaredTest {
  readonly statistic: number;
  readonly dof: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-squared test that two rows of counts come from one distribution (a 2 × k
 * contingency table, as scipy.stats.chi2_contingency with correction=False): columns empty in
 * both rows are left out; counts may be fractional.
 */
export function chiSquaredHomogeneity(a: ArrayLike<number>, b: ArrayLike<number>): ChiSquaredTest {
  const totalA = sumOf(a);
  const totalB = sumOf(b);
  const total = totalA + totalB;
  let statistic = 0;
  let columns = 0;
  for (let k = 0; k < a.length; k++) {
    const column = a[k]! + b[k]!;
    if (column <= 0) continue;
    columns++;
    const expectedA = (column * totalA) / total;
    const expectedB = (column * totalB) / total;
    statistic += (a[k]! - expectedA) ** 2 / expectedA + (b[k]! - expectedB) ** 2 / expectedB;
  }
  const dof = Math.max(0, columns - 1);
  return { statistic, dof, pValue: dof === 0 ? 1 : chiSquaredSurvival(statistic, dof) };
}

function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}
