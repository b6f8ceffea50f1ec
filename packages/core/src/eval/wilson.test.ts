// Node-only test (child_process): the interval code under test stays isomorphic.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../node/testing/index.js';
import { normalQuantile } from './normal-quantile.js';
import { wilsonInterval } from './wilson.js';

/** (k, n) pairs: every edge (k = 0, k = n, n = 1), small and large n, and odd splits. */
const CASES: [number, number][] = [];
for (const n of [1, 2, 3, 5, 7, 10, 17, 24, 50, 99, 100, 250, 1000, 12345, 1_000_000]) {
  for (const k of new Set([0, 1, Math.floor(n / 3), Math.floor(n / 2), n - 1, n])) if (k >= 0 && k <= n) CASES.push([k, n]);
}
const LEVELS = [0.95, 0.9, 0.99, 0.5, 0.999];

const SCRIPT = String.raw`
import json, sys
from statsmodels.stats.proportion import proportion_confint
cases, levels = json.loads(sys.stdin.read())
print(json.dumps([[list(proportion_confint(k, n, alpha=1 - level, method='wilson')) for k, n in cases] for level in levels]))
`;

function statsmodelsIntervals(): number[][][] | string {
  const available = pythonModules('statsmodels');
  if (available !== true) return requireInCi('statsmodels (python3-statsmodels)', available);
  const run = spawnSync(SYSTEM_PYTHON, ['-c', SCRIPT], { input: JSON.stringify([CASES, LEVELS]), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`statsmodels reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[][][];
}

const reference = statsmodelsIntervals();

describe('Wilson score interval', () => {
  it.skipIf(typeof reference === 'string')("equals statsmodels proportion_confint(method='wilson') to 1e-9 on a sweep of (k, n) and levels", () => {
    const expected = reference as number[][][];
    LEVELS.forEach((level, l) => {
      CASES.forEach(([k, n], c) => {
        const interval = wilsonInterval(k, n, level);
        const [low, high] = expected[l]![c]!;
        expect(Math.abs(interval.low - low!), `low of ${k}/${n} at ${level}`).toBeLessThan(1e-9);
        expect(Math.abs(interval.high - high!), `high of ${k}/${n} at ${level}`).toBeLessThan(1e-9);
      });
    });
  });

  it('is the proportion with bounds inside [0, 1] that shrink as n grows', () => {
    const small = wilsonInterval(9, 10);
    const large = wilsonInterval(900, 1000);
    expect(small.estimate).toBe(0.9);
    expect(small.high - small.low).toBeGreaterThan(large.high - large.low);
    expect(wilsonInterval(0, 10).low).toBeCloseTo(0, 15);
    expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 15);
    expect(wilsonInterval(0, 10).high).toBeGreaterThan(0.2); // never the degenerate [0, 0] of the Wald interval
  });

  it('is NaN for no trials and refuses impossible counts and levels', () => {
    expect(Number.isNaN(wilsonInterval(0, 0).low)).toBe(true);
    expect(() => wilsonInterval(5, 4)).toThrow(/5 successes in 4 trials/);
    expect(() => wilsonInterval(1.5, 4)).toThrow(/integers/);
    expect(() => wilsonInterval(1, 4, 1)).toThrow(/level is 1/);
  });

  it('uses the normal quantile of scipy (1.959963984540054 for 95%)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.0005)).toBeCloseTo(-3.2905267314918945, 13);
    expect(() => normalQuantile(0)).toThrow(/p is 0/);
  });
});
