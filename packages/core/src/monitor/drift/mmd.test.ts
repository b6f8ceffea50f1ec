// MMD drift against a numpy/scipy implementation written here, on the same numbers: the same f32
// embeddings, and the same permutations (our seeded index arrays are passed to python), so the
// statistic, the bandwidth and the p-value are compared exactly up to float rounding — no
// Monte-Carlo tolerance.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { gpuForTests, pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { MMD_MAX_POOLED_ROWS, mmdDrift, mmdPermutations } from './mmd.js';
import type { EmbeddingMatrix } from './types.js';

const scipyMissing = requireInCi('numpy and scipy (python3-scipy)', pythonModules('numpy', 'scipy'));
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const NUMPY_MMD = String.raw`
import json, sys
import numpy as np
from scipy.spatial.distance import pdist, cdist
def test(d):
  x = np.array(d['live'], dtype=np.float64).reshape(-1, d['dim'])
  y = np.array(d['reference'], dtype=np.float64).reshape(-1, d['dim'])
  z = np.vstack([x, y])
  m, n = len(x), len(y)
  sigma = np.median(pdist(z))
  K = np.exp(-cdist(z, z, 'sqeuclidean') / (2 * sigma ** 2))
  def mmd2u(live):
      mask = np.zeros(len(z), bool); mask[live] = True
      kxx, kyy, kxy = K[mask][:, mask], K[~mask][:, ~mask], K[mask][:, ~mask]
      return ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean())
  observed = mmd2u(np.arange(m))
  perms = np.array(d['permutations'], dtype=int).reshape(-1, m)
  null = np.array([mmd2u(p) for p in perms])
  return {'sigma': sigma, 'statistic': observed, 'p': (1 + np.sum(null >= observed)) / (1 + len(perms))}
json.dump([test(d) for d in json.load(sys.stdin)], sys.stdout)
`;

function gaussian(rng: Rng, rows: number, dim: number, shift: (j: number) => number): EmbeddingMatrix {
  const values = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) values[i * dim + j] = rng.normal() + shift(j);
  return { values, rows, dim };
}

/** The numpy test of each case, in one python run. */
function numpyMmd(cases: readonly { live: EmbeddingMatrix; reference: EmbeddingMatrix; permutations: Int32Array }[]): { sigma: number; statistic: number; p: number }[] {
  const input = JSON.stringify(cases.map((c) => ({ dim: c.live.dim, live: Array.from(c.live.values), reference: Array.from(c.reference.values), permutations: Array.from(c.permutations) })));
  const run = spawnSync(SYSTEM_PYTHON, ['-c', NUMPY_MMD], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const PERMUTATIONS = 300;
const SEED = 7;

describe.skipIf(scipyMissing)('mmd against numpy/scipy on the same permutations', () => {
  const rng = new Rng(2024);
  const reference = gaussian(rng, 200, 8, () => 0);
  const cases = [
    { name: 'same distribution', live: gaussian(rng, 60, 8, () => 0) },
    { name: 'mean shift of 0.6 on two components', live: gaussian(rng, 60, 8, (j) => (j < 2 ? 0.6 : 0)) },
    { name: 'a small shift near the threshold', live: gaussian(rng, 60, 8, (j) => (j === 0 ? 0.35 : 0)) },
  ];
  const wants = scipyMissing ? [] : numpyMmd(cases.map((c) => ({ live: c.live, reference, permutations: mmdPermutations(260, 60, PERMUTATIONS, SEED) })));

  for (const [k, c] of cases.entries()) {
    it(`cpu: ${c.name}`, async () => {
      const want = wants[k]!;
      const got = await mmdDrift(new CpuDevice(), c.live, reference, { permutations: PERMUTATIONS, seed: SEED });
      expect(got.details?.bandwidth).toBeCloseTo(want.sigma, 5);
      // f32 kernel matrix and products: the statistic agrees to ~1e-7 absolute (terms of ~0.5 cancel).
      expect(Math.abs(got.statistic - want.statistic)).toBeLessThan(2e-6);
      // The same permutations: the p-values are equal unless a permuted statistic lies within
      // rounding of the observed one (one permutation either way).
      expect(Math.abs(got.pValue! - want.p)).toBeLessThanOrEqual(1 / (PERMUTATIONS + 1) + 1e-12);
      expect(got.drifted).toBe(want.p < 0.05);
      expect(got).toMatchObject({ method: 'mmd', threshold: 0.05, n: 60 });
    });
  }

  it('detects the shift and not the identical distribution (the numpy check agrees)', async () => {
    const device = new CpuDevice();
    const [same, shifted] = await Promise.all(cases.slice(0, 2).map((c) => mmdDrift(device, c.live, reference, { permutations: PERMUTATIONS, seed: SEED })));
    expect(same!.drifted).toBe(false);
    expect(shifted!.drifted).toBe(true);
    expect(shifted!.pValue).toBe(1 / (PERMUTATIONS + 1));
  });

  it.skipIf(!gpu.device)('webgpu: the same statistic and p-value as the numpy reference', async () => {
    const [c, want] = [cases[1]!, wants[1]!];
    const got = await mmdDrift(gpu.device!, c.live, reference, { permutations: PERMUTATIONS, seed: SEED });
    expect(Math.abs(got.statistic - want.statistic)).toBeLessThan(2e-6);
    expect(Math.abs(got.pValue! - want.p)).toBeLessThanOrEqual(1 / (PERMUTATIONS + 1) + 1e-12);
  });
});

describe('mmd contract', () => {
  const rng = new Rng(5);
  const reference = gaussian(rng, 40, 4, () => 0);
  const live = gaussian(rng, 20, 4, () => 0);

  it('is reproducible from its seed and changes with it', async () => {
    const device = new CpuDevice();
    const a = await mmdDrift(device, live, reference, { permutations: 99, seed: 1 });
    const b = await mmdDrift(device, live, reference, { permutations: 99, seed: 1 });
    expect(b).toEqual(a);
    expect(mmdPermutations(60, 20, 3, 1)).not.toEqual(mmdPermutations(60, 20, 3, 2));
  });

  it('each permutation draws distinct pooled rows', () => {
    const perms = mmdPermutations(60, 20, 5, 3);
    for (let p = 0; p < 5; p++) {
      const row = perms.subarray(p * 20, (p + 1) * 20);
      expect(new Set(row).size).toBe(20);
      expect(Math.max(...row)).toBeLessThan(60);
    }
  });

  it('rejects a reference of another width, too few rows and bad options, naming them', async () => {
    const device = new CpuDevice();
    await expect(mmdDrift(device, live, gaussian(rng, 40, 5, () => 0))).rejects.toMatchObject({ code: 'DRIFT_REFERENCE_MISMATCH', message: expect.stringContaining('4 components but the reference has 5') });
    await expect(mmdDrift(device, { values: new Float32Array(4), rows: 1, dim: 4 }, reference)).rejects.toMatchObject({ code: 'DRIFT_INVALID_DATA' });
    await expect(mmdDrift(device, live, reference, { permutations: 0 })).rejects.toMatchObject({ code: 'DRIFT_OPTION_INVALID', message: expect.stringContaining('permutations 0') });
    await expect(mmdDrift(device, live, reference, { alpha: 1.5 })).rejects.toMatchObject({ code: 'DRIFT_OPTION_INVALID' });
    const large = { values: new Float32Array((MMD_MAX_POOLED_ROWS - 39) * 4), rows: MMD_MAX_POOLED_ROWS - 39, dim: 4 };
    await expect(mmdDrift(device, large, reference)).rejects.toMatchObject({ code: 'DRIFT_INVALID_DATA', message: expect.stringContaining(`at most ${MMD_MAX_POOLED_ROWS - 40} live rows`) });
  });
});
