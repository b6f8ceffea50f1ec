// KS drift against scipy.stats.ks_2samp (default method 'auto', which is exact at these sizes)
// and statsmodels' multipletests on the same f32 values.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { ksDrift } from './ks.js';
import { ksTwoSample } from './ks-two-sample.js';
import { adjustPValues } from './multiple-testing.js';
import type { EmbeddingMatrix } from './types.js';

const scipyMissing = requireInCi('scipy and statsmodels (python3-scipy, python3-statsmodels)', pythonModules('numpy', 'scipy', 'statsmodels'));

const SCIPY_KS = String.raw`
import json, sys
import numpy as np
from scipy.stats import ks_2samp
from statsmodels.stats.multitest import multipletests
cases = json.load(sys.stdin)
out = []
for c in cases:
    x = np.array(c['live']).reshape(-1, c['dim']); y = np.array(c['reference']).reshape(-1, c['dim'])
    tests = [ks_2samp(x[:, j], y[:, j]) for j in range(c['dim'])]
    p = np.array([t.pvalue for t in tests])
    out.append({'d': [float(t.statistic) for t in tests], 'p': p.tolist(),
                'bonferroni': multipletests(p, method='bonferroni')[1].tolist(), 'fdr': multipletests(p, method='fdr_bh')[1].tolist()})
json.dump(out, sys.stdout)
`;

function sample(rng: Rng, rows: number, dim: number, shift: (j: number) => number, decimals?: number): EmbeddingMatrix {
  const values = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      const v = rng.normal() + shift(j);
      values[i * dim + j] = decimals === undefined ? v : Math.round(v * 10 ** decimals) / 10 ** decimals;
    }
  }
  return { values, rows, dim };
}

const rng = new Rng(31);
const CASES = [
  { name: '60 live × 200 reference, two shifted components', live: sample(rng, 60, 6, (j) => (j < 2 ? 0.8 : 0)), reference: sample(rng, 200, 6, () => 0) },
  { name: 'coprime sizes 37 × 113, small shifts', live: sample(rng, 37, 5, (j) => 0.15 * j), reference: sample(rng, 113, 5, () => 0) },
  { name: 'equal sizes 50 × 50', live: sample(rng, 50, 4, (j) => (j === 3 ? 1 : 0)), reference: sample(rng, 50, 4, () => 0) },
  { name: 'ties: values rounded to one decimal', live: sample(rng, 80, 4, (j) => 0.3 * j, 1), reference: sample(rng, 240, 4, () => 0, 1) },
  { name: 'a large shift: p-values far below 1e-10', live: sample(rng, 120, 3, () => 2), reference: sample(rng, 300, 3, () => 0) },
];

describe.skipIf(scipyMissing)('ks against scipy.stats.ks_2samp and statsmodels', () => {
  const input = JSON.stringify(CASES.map((c) => ({ dim: c.live.dim, live: Array.from(c.live.values), reference: Array.from(c.reference.values) })));
  const run = scipyMissing ? undefined : spawnSync(SYSTEM_PYTHON, ['-c', SCIPY_KS], { input, encoding: 'utf8' });
  const want: { d: number[]; p: number[]; bonferroni: number[]; fdr: number[] }[] = run?.status === 0 ? JSON.parse(run.stdout) : [];

  CASES.forEach((c, k) => {
    it(c.name, () => {
      expect(run?.stderr).toBe('');
      const result = ksDrift(c.live, c.reference, { correction: 'fdr' });
      const details = result.details as { ksStatistics: number[]; pValues: number[]; adjustedPValues: number[] };
      const w = want[k]!;
      details.ksStatistics.forEach((d, j) => expect(d).toBeCloseTo(w.d[j]!, 14));
      // scipy counts the paths outside the band, we those inside: equal to ~1e-12 absolute.
      details.pValues.forEach((p, j) => expect(Math.abs(p - w.p[j]!)).toBeLessThan(1e-10));
      details.adjustedPValues.forEach((p, j) => expect(Math.abs(p - w.fdr[j]!)).toBeLessThan(1e-9));
      const bonferroni = adjustPValues(details.pValues, 'bonferroni');
      bonferroni.forEach((p, j) => expect(Math.abs(p - w.bonferroni[j]!)).toBeLessThan(1e-9));
      const share = w.fdr.filter((p) => p < 0.05).length / c.live.dim;
      expect(result).toMatchObject({ method: 'ks', statistic: share, threshold: 0.2, drifted: share > 0.2, n: c.live.rows });
    });
  });
});

describe('ks contract', () => {
  it('drifts on the share of components, not on one', () => {
    const r = new Rng(4);
    const reference = sample(r, 200, 10, () => 0);
    // One shifted component of ten is a share of 0.1: below the default 0.2.
    expect(ksDrift(sample(r, 100, 10, (j) => (j === 0 ? 2 : 0)), reference)).toMatchObject({ statistic: 0.1, drifted: false });
    expect(ksDrift(sample(r, 100, 10, (j) => (j < 3 ? 2 : 0)), reference)).toMatchObject({ statistic: 0.3, drifted: true });
  });

  it('identical samples have D = 0 and p = 1', () => {
    expect(ksTwoSample(Float64Array.of(3, 1, 2), Float64Array.of(2, 3, 1))).toEqual({ statistic: 0, pValue: 1 });
  });

  it('rejects bad options, naming them', () => {
    const r = new Rng(4);
    const reference = sample(r, 20, 2, () => 0);
    expect(() => ksDrift(sample(r, 10, 2, () => 0), reference, { shareThreshold: 1 })).toThrow(expect.objectContaining({ code: 'DRIFT_OPTION_INVALID' }));
    expect(() => ksDrift(sample(r, 10, 3, () => 0), reference)).toThrow(expect.objectContaining({ code: 'DRIFT_REFERENCE_MISMATCH' }));
  });
});
