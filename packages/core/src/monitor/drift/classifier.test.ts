// Domain-classifier drift against scikit-learn on the same numbers and the same folds: a
// logistic regression (the same model family as the softmax head, trained otherwise) gives an
// out-of-fold AUC within 0.03 of ours, and the same decision.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { classifierDrift, domainFolds } from './classifier.js';
import type { EmbeddingMatrix } from './types.js';

const sklearnMissing = requireInCi('numpy and scikit-learn (python3-sklearn)', pythonModules('numpy', 'sklearn'));

const SKLEARN_DOMAIN_CLASSIFIER = String.raw`
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
out = []
for c in json.load(sys.stdin):
    z = np.vstack([np.array(c['live']).reshape(-1, c['dim']), np.array(c['reference']).reshape(-1, c['dim'])])
    z = (z - z.mean(0)) / z.std(0)
    y = np.r_[np.ones(len(c['live']) // c['dim']), np.zeros(len(c['reference']) // c['dim'])]
    folds = np.array(c['folds']); scores = np.zeros(len(y))
    for f in range(c['k']):
        model = LogisticRegression(max_iter=1000).fit(z[folds != f], y[folds != f])
        scores[folds == f] = model.predict_proba(z[folds == f])[:, 1]
    out.append(roc_auc_score(y, scores))
json.dump(out, sys.stdout)
`;

function sample(rng: Rng, rows: number, dim: number, shift: (j: number) => number): EmbeddingMatrix {
  const values = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) values[i * dim + j] = rng.normal() * 3 + shift(j);
  return { values, rows, dim };
}

const rng = new Rng(17);
const reference = sample(rng, 240, 6, () => 0);
const CASES = [
  { name: 'the reference distribution: AUC near 0.5, no drift', live: sample(rng, 80, 6, () => 0), drifted: false },
  { name: 'two components shifted by half a standard deviation: drift', live: sample(rng, 80, 6, (j) => (j < 2 ? 1.5 : 0)), drifted: true },
];

describe.skipIf(sklearnMissing)('classifier against scikit-learn on the same folds', () => {
  const input = JSON.stringify(CASES.map((c) => ({ dim: 6, k: 5, live: Array.from(c.live.values), reference: Array.from(reference.values), folds: Array.from(domainFolds(80, 240, 5, 3)) })));
  const run = sklearnMissing ? undefined : spawnSync(SYSTEM_PYTHON, ['-c', SKLEARN_DOMAIN_CLASSIFIER], { input, encoding: 'utf8' });
  const want: number[] = run?.status === 0 ? JSON.parse(run.stdout) : [];

  CASES.forEach((c, k) => {
    it(c.name, async () => {
      expect(run?.stderr).toBe('');
      const result = await classifierDrift(new CpuDevice(), c.live, reference, { seed: 3 });
      expect(Math.abs(result.statistic - want[k]!)).toBeLessThan(0.03);
      expect(want[k]! > 0.55).toBe(c.drifted);
      expect(result).toMatchObject({ method: 'classifier', threshold: 0.55, drifted: c.drifted, n: 80 });
    });
  });
});

describe('classifier contract', () => {
  it('deals stratified folds: each fold holds a fifth of each group', () => {
    const folds = domainFolds(50, 200, 5, 1);
    for (let f = 0; f < 5; f++) {
      expect(folds.subarray(0, 50).filter((k) => k === f).length).toBe(10);
      expect(folds.subarray(50).filter((k) => k === f).length).toBe(40);
    }
    expect(domainFolds(50, 200, 5, 2)).not.toEqual(folds);
  });

  it('rejects too few rows for the folds and a threshold outside (0.5, 1)', async () => {
    const cpu = new CpuDevice();
    await expect(classifierDrift(cpu, sample(rng, 3, 6, () => 0), reference)).rejects.toMatchObject({ code: 'DRIFT_INVALID_DATA', message: expect.stringContaining('at least 5') });
    await expect(classifierDrift(cpu, sample(rng, 20, 6, () => 0), reference, { threshold: 0.4 })).rejects.toMatchObject({ code: 'DRIFT_OPTION_INVALID' });
  });
});
