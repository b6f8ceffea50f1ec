// PSI against numpy on the same numbers: the bundle's reference statistics (its quantiles and
// class prior, as stored) and the same live embeddings and probabilities.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { computeReferenceStatistics } from '../reference-statistics.js';
import { psiDrift, type LivePredictions } from './psi.js';
import type { EmbeddingMatrix } from './types.js';

const numpyMissing = requireInCi('numpy (python3-numpy)', pythonModules('numpy'));

const NUMPY_PSI = String.raw`
import json, sys
import numpy as np
def psi(a, e):
    a = np.clip(a, 1e-4, None); e = np.clip(e, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))
out = []
for c in json.load(sys.stdin):
    dim = c['dim']; levels = np.array(c['levels'])
    x = np.array(c['live']).reshape(-1, dim); Q = np.array(c['quantiles']).reshape(len(levels), dim)
    expected = np.diff(np.concatenate([[0], levels, [1]]))
    comp = [psi(np.bincount(np.searchsorted(Q[:, j], x[:, j], side='right'), minlength=len(levels) + 1) / len(x), expected) for j in range(dim)]
    r = {'component': comp}
    if c['probabilities'] is not None:
        P = np.array(c['probabilities']).reshape(len(x), -1)
        r['class'] = psi(np.bincount(np.argmax(P, axis=1), minlength=P.shape[1]) / len(x), np.array(c['prior']))
    out.append(r)
json.dump(out, sys.stdout)
`;

const rng = new Rng(11);
const DIM = 5;
const CLASSES = 4;
const referenceRows = 400;
const referenceFeatures = new Float32Array(referenceRows * DIM).map(() => rng.normal());
const reference = computeReferenceStatistics({ space: 'pca', features: referenceFeatures, rows: referenceRows, dim: DIM, labels: Array.from({ length: referenceRows }, (_, i) => i % CLASSES), classCount: CLASSES, seed: 1 });

function window(rows: number, shift: number, favoured: number | null): { live: EmbeddingMatrix; predictions: LivePredictions } {
  const values = new Float32Array(rows * DIM).map((_, k) => rng.normal() * (1 + shift) + (k % DIM === 0 ? shift : 0));
  const probabilities = new Float32Array(rows * CLASSES).map(() => rng.next());
  if (favoured !== null) for (let i = 0; i < rows; i += 2) probabilities[i * CLASSES + favoured] = 2;
  return { live: { values, rows, dim: DIM }, predictions: { probabilities, classes: CLASSES } };
}

const CASES = [
  { name: 'the training distribution', ...window(300, 0, null), withPredictions: true },
  { name: 'a shifted, wider first component and half the predictions on one class', ...window(300, 0.8, 2), withPredictions: true },
  { name: 'no predictions (an image folder without a head)', ...window(150, 0.3, null), withPredictions: false },
];

describe.skipIf(numpyMissing)('psi against numpy', () => {
  const input = JSON.stringify(
    CASES.map((c) => ({ dim: DIM, levels: reference.quantileLevels, quantiles: Array.from(reference.quantiles), prior: Array.from(reference.classPrior), live: Array.from(c.live.values), probabilities: c.withPredictions ? Array.from(c.predictions.probabilities) : null })),
  );
  const run = numpyMissing ? undefined : spawnSync(SYSTEM_PYTHON, ['-c', NUMPY_PSI], { input, encoding: 'utf8' });
  const want: { component: number[]; class?: number }[] = run?.status === 0 ? JSON.parse(run.stdout) : [];

  CASES.forEach((c, k) => {
    it(c.name, () => {
      expect(run?.stderr).toBe('');
      const result = psiDrift(c.live, reference, c.withPredictions ? c.predictions : undefined);
      const details = result.details as { componentPsi: number[]; classPsi?: number; meanComponentPsi: number };
      details.componentPsi.forEach((v, j) => expect(v).toBeCloseTo(want[k]!.component[j]!, 6));
      if (c.withPredictions) expect(details.classPsi).toBeCloseTo(want[k]!.class!, 6);
      else expect(details.classPsi).toBeUndefined();
      const mean = want[k]!.component.reduce((s, v) => s + v, 0) / DIM;
      const statistic = Math.max(mean, want[k]!.class ?? 0);
      expect(result.statistic).toBeCloseTo(statistic, 6);
      expect(result).toMatchObject({ method: 'psi', threshold: 0.2, drifted: statistic > 0.2, n: c.live.rows });
    });
  });

  it('the training distribution stays below 0.2 and the shifted window exceeds it', () => {
    expect(psiDrift(CASES[0]!.live, reference, CASES[0]!.predictions).drifted).toBe(false);
    expect(psiDrift(CASES[1]!.live, reference, CASES[1]!.predictions).drifted).toBe(true);
  });
});

describe('psi contract', () => {
  it('rejects predictions of another class count and embeddings of another width', () => {
    const { live, predictions } = window(10, 0, null);
    expect(() => psiDrift(live, reference, { probabilities: predictions.probabilities.subarray(0, 30), classes: 3 })).toThrow(expect.objectContaining({ code: 'DRIFT_REFERENCE_MISMATCH', message: expect.stringContaining('3 classes') }));
    expect(() => psiDrift({ values: new Float32Array(6), rows: 2, dim: 3 }, reference)).toThrow(expect.objectContaining({ code: 'DRIFT_REFERENCE_MISMATCH' }));
    expect(() => psiDrift(live, reference, undefined, { threshold: 0 })).toThrow(expect.objectContaining({ code: 'DRIFT_OPTION_INVALID' }));
  });
});
