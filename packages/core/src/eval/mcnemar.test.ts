// Node-only test (child_process): the test code under test stays isomorphic.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../node/testing/index.js';
import { discordantPairs, EXACT_BELOW, mcnemarTest } from './mcnemar.js';

const statsmodelsMissing = requireInCi("Debian's python3-statsmodels", pythonModules('statsmodels'));

/** Discordant counts from none to thousands, balanced and lopsided, on both sides of EXACT_BELOW. */
const TABLES: [number, number][] = [
  [0, 0], [0, 1], [1, 0], [3, 3], [2, 9], [9, 2], [0, 12], [7, 17], [12, 12], [10, 14],
  [12, 13], [5, 20], [20, 5], [30, 30], [18, 42], [100, 70], [400, 520], [3, 200], [1500, 1620],
];

/** statsmodels' mcnemar on each [[a, b], [c, d]] table, exact and chi-squared with the continuity correction. */
function statsmodelsReference(tables: readonly [number, number][]): { exact: [number, number]; chi2: [number, number] | null }[] {
  const script = String.raw`
import json, sys, warnings
from statsmodels.stats.contingency_tables import mcnemar
warnings.filterwarnings('ignore')
out = []
for b, c in json.loads(sys.stdin.read()):
    table = [[50, b], [c, 50]]
    e = mcnemar(table, exact=True)
    x = mcnemar(table, exact=False, correction=True) if b + c > 0 else None
    out.append({'exact': [float(e.statistic), float(e.pvalue)], 'chi2': None if x is None else [float(x.statistic), float(x.pvalue)]})
print(json.dumps(out))
`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(tables), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`statsmodels reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe.skipIf(statsmodelsMissing)("McNemar's test against statsmodels 0.13 (contingency_tables.mcnemar)", () => {
  const reference = statsmodelsMissing ? [] : statsmodelsReference(TABLES);

  it.each(TABLES.map((table, i) => [table, i] as const))('b, c = %j: the exact binomial test', ([b, c], i) => {
    const ours = mcnemarTest(b, c, 'exact-binomial');
    const [statistic, pValue] = reference[i]!.exact;
    expect(ours.statistic).toBe(statistic);
    expect(ours.pValue).toBeCloseTo(pValue, 12);
    expect(Math.abs(ours.pValue - pValue)).toBeLessThanOrEqual(1e-9 * Math.max(pValue, 1e-300));
  });

  it.each(TABLES.filter(([b, c]) => b + c > 0).map((table) => [table, TABLES.indexOf(table)] as const))('b, c = %j: chi-squared with the continuity correction', ([b, c], i) => {
    const ours = mcnemarTest(b, c, 'chi-squared-corrected');
    const [statistic, pValue] = reference[i]!.chi2!;
    expect(ours.statistic).toBeCloseTo(statistic, 12);
    // Relative: the smallest p-values here are far below 1e-12.
    expect(Math.abs(ours.pValue - pValue)).toBeLessThanOrEqual(1e-9 * pValue + 1e-15);
  });
});

describe('mcnemarTest', () => {
  it(`takes the exact test below ${EXACT_BELOW} discordant pairs and the corrected chi-squared from there`, () => {
    expect(mcnemarTest(12, 12).method).toBe('exact-binomial');
    expect(mcnemarTest(12, 13).method).toBe('chi-squared-corrected');
    // No discordant pair: no evidence of any difference.
    expect(mcnemarTest(0, 0)).toMatchObject({ method: 'exact-binomial', pValue: 1 });
  });

  it('is symmetric in the two models, and more lopsided tables are more significant', () => {
    expect(mcnemarTest(3, 15).pValue).toBe(mcnemarTest(15, 3).pValue);
    expect(mcnemarTest(2, 16).pValue).toBeLessThan(mcnemarTest(4, 14).pValue);
    expect(mcnemarTest(100, 160).pValue).toBeLessThan(mcnemarTest(120, 140).pValue);
  });

  it('refuses counts that are not non-negative integers, and the chi-squared test without discordant pairs', () => {
    expect(() => mcnemarTest(-1, 3)).toThrow(/b = -1/);
    expect(() => mcnemarTest(1.5, 3)).toThrow(expect.objectContaining({ code: 'EVAL_OPTION_INVALID' }));
    expect(() => mcnemarTest(0, 0, 'chi-squared-corrected')).toThrow(expect.objectContaining({ code: 'EVAL_UNDEFINED' }));
  });
});

describe('discordantPairs', () => {
  it('counts the samples only the first model got right (b) and only the second got right (c)', () => {
    const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0]);
    const first = [0, 1, 0, 0, 2, 2, 1];
    const second = [0, 0, 2, 1, 1, 2, 2];
    // Sample 1, 3: first only; 2, 4: second only; 0, 5: both; 6: neither.
    expect(discordantPairs(labels, first, second)).toEqual({ b: 2, c: 2 });
    expect(discordantPairs(labels, [0, 1, 2, 0, 1, 2, 0], second)).toEqual({ b: 3, c: 0 });
  });

  it('refuses predictions that do not pair with the labels', () => {
    expect(() => discordantPairs(Int32Array.from([0, 1]), [0], [0, 1])).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
  });
});
