// The PCA numerics against numpy (float64 LAPACK) on small matrices: the symmetric eigensolver
// (both eigenvector paths), Householder QR, and PCA fits with every strategy and engine.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { createJsFastMatmul } from '../../compute/fast-matmul/js-fast-matmul.js';
import { createOrtFastMatmul } from '../../compute/fast-matmul/ort-fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests, pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { orthonormalizeRows } from './householder-qr.js';
import { Pca, type PcaCompute } from './pca.js';
import { symmetricEigen } from './symmetric-eigen.js';

const numpyMissing = requireInCi('numpy (python3-numpy)', pythonModules('numpy'));

/** Runs a python snippet with `data` (JSON) as variable `data`; it assigns `result`, returned as JSON. */
function numpy<T>(script: string, data: unknown): T {
  const program = `import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n${script}\njson.dump(result, sys.stdout)\n`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', program], { input: JSON.stringify(data), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

/** Data with a decaying spectrum (distinct leading variances) plus an offset, N×D. */
function spectrumData(rng: Rng, rows: number, cols: number, offset = 3): Float32Array {
  const basis = Array.from({ length: cols }, () => Float64Array.from({ length: cols }, () => rng.normal()));
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const weight = rng.normal() * 4 * Math.pow(0.8, k);
      for (let c = 0; c < cols; c++) x[r * cols + c]! += weight * basis[k]![c]!;
    }
    for (let c = 0; c < cols; c++) x[r * cols + c]! += offset + 0.1 * c;
  }
  return x;
}

/** Each row flipped so its largest-magnitude entry is positive. */
function signNormalize(rows: number[][]): number[][] {
  return rows.map((v) => {
    const largest = v.reduce((best, x, i) => (Math.abs(x) > Math.abs(v[best]!) ? i : best), 0);
    return v[largest]! < 0 ? v.map((x) => -x) : v;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function rowsOf(flat: ArrayLike<number>, count: number, length: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from({ length }, (_, c) => flat[r * length + c]!));
}

describe.skipIf(numpyMissing)('symmetric eigensolver against numpy.linalg.eigh', () => {
  for (const [n, count, path] of [
    [60, 60, 'QL with rotations accumulated'],
    [60, 8, 'eigenvalues by QL, vectors by inverse iteration'],
    [1, 1, 'a 1×1 matrix'],
    [2, 2, 'a 2×2 matrix'],
  ] as const) {
    it(`n = ${n}, ${count} vectors: ${path}`, () => {
      const a = randomSymmetric(new Rng(n * 31 + count), n);
      const ours = symmetricEigen(a, n, count);
      const want = numpy<{ values: number[]; vectors: number[][] }>(
        `a = np.array(data['a']).reshape(data['n'], data['n'])
w, v = np.linalg.eigh(a)
order = np.argsort(-w)
result = {'values': w[order].tolist(), 'vectors': v[:, order].T[:data['count']].tolist()}`,
        { a: Array.from(a), n, count },
      );
      expect(maxAbsDiff(ours.values, want.values)).toBeLessThan(1e-10);
      const got = signNormalize(rowsOf(ours.vectors, count, n));
      expect(maxAbsDiff(got.flat(), signNormalize(want.vectors).flat())).toBeLessThan(1e-8);
    });
  }

  it('repeated eigenvalues still get orthonormal eigenvectors (inverse iteration path)', () => {
    // diag(5, 5, 5, 1, …) rotated by a random orthogonal matrix: a 3-fold eigenvalue on top.
    const n = 40;
    const rng = new Rng(9);
    const q = orthonormalizeRows(Float64Array.from({ length: n * n }, () => rng.normal()), n, n);
    const a = new Float64Array(n * n);
    const spectrum = Array.from({ length: n }, (_, i) => (i < 3 ? 5 : 1 / (i + 1)));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += q[k * n + i]! * spectrum[k]! * q[k * n + j]!;
    const { values, vectors } = symmetricEigen(a, n, 4);
    expect(Array.from(values.subarray(0, 4), (v) => Number(v.toFixed(9)))).toEqual([5, 5, 5, 0.25]);
    for (let r = 0; r < 4; r++) {
      for (let s = 0; s < 4; s++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[r * n + i]! * vectors[s * n + i]!;
        expect(Math.abs(dot - (r === s ? 1 : 0))).toBeLessThan(1e-9);
      }
      // A·v = λ·v
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[r * n + j]!;
        expect(Math.abs(av - values[r]! * vectors[r * n + i]!)).toBeLessThan(1e-9);
      }
    }
  });
});

describe.skipIf(numpyMissing)('Householder QR against numpy.linalg.qr', () => {
  it('gives the same orthonormal basis up to column signs', () => {
    const rng = new Rng(4);
    const [count, length] = [7, 30];
    const rows = Float64Array.from({ length: count * length }, () => rng.normal());
    const q = orthonormalizeRows(rows, count, length);
    const want = numpy<number[][]>(
      `a = np.array(data['rows']).reshape(data['count'], data['length']).T
q, _ = np.linalg.qr(a)
result = q.T.tolist()`,
      { rows: Array.from(rows), count, length },
    );
    expect(maxAbsDiff(signNormalize(rowsOf(q, count, length)).flat(), signNormalize(want).flat())).toBeLessThan(1e-12);
  });
});

const runtime = await createOrtNodeRuntime();
const ortFast = createOrtFastMatmul(runtime, { threads: 1 });
const gpu = await gpuForTests();
afterAll(async () => {
  await ortFast.release();
  gpu.device?.destroy();
});

/** numpy's PCA by eigh of the covariance: components sign-normalized, variances with divisor n − 1. */
function numpyPca(x: Float32Array, rows: number, cols: number, components: number): { mean: number[]; components: number[][]; variance: number[]; ratio: number[] } {
  return numpy(
    `x = np.array(data['x'], dtype=np.float64).reshape(data['rows'], data['cols'])
mean = x.mean(axis=0)
cov = np.cov(x, rowvar=False)
w, v = np.linalg.eigh(cov)
order = np.argsort(-w)[:data['k']]
comps = v[:, order].T
for row in comps:
    if row[np.argmax(np.abs(row))] < 0: row *= -1
result = {'mean': mean.tolist(), 'components': comps.tolist(), 'variance': w[order].tolist(), 'ratio': (w[order] / np.trace(cov)).tolist()}`,
    { x: Array.from(x), rows, cols, k: components },
  );
}

describe.skipIf(numpyMissing)('PCA fit against numpy (eigh of the covariance)', () => {
  const [rows, cols, components] = [400, 24, 4];
  const x = spectrumData(new Rng(12), rows, cols);
  const want = numpyPca(x, rows, cols, components);

  const engines: { name: string; compute: () => PcaCompute | undefined }[] = [
    { name: 'onnxruntime MLAS', compute: () => ({ device: new CpuDevice(), fastMatmul: ortFast }) },
    { name: 'javascript loops', compute: () => ({ device: new CpuDevice(), fastMatmul: createJsFastMatmul() }) },
    { name: 'cpu device kernels', compute: () => ({ device: new CpuDevice() }) },
    { name: 'webgpu device kernels', compute: () => (gpu.device ? { device: gpu.device } : undefined) },
  ];
  for (const engine of engines) {
    for (const strategy of ['covariance', 'randomized'] as const) {
      it.skipIf(engine.name.startsWith('webgpu') && !gpu.device)(`${strategy} on ${engine.name}`, async () => {
        const compute = engine.compute()!;
        const pca = await new Pca({ components, strategy, powerIterations: 6 }, compute).fit(Tensor.cpu('f32', [rows, cols], x));
        const s = pca.state;
        expect(s.strategy).toBe(strategy);
        expect(maxAbsDiff(s.mean, want.mean)).toBeLessThan(1e-5);
        // f32 products: relative accuracy ~1e-5 on variances, ~1e-4 on directions.
        for (let k = 0; k < components; k++) expect(Math.abs(s.explainedVariance[k]! - want.variance[k]!) / want.variance[k]!).toBeLessThan(1e-4);
        expect(maxAbsDiff(s.explainedVarianceRatio, want.ratio)).toBeLessThan(1e-5);
        expect(maxAbsDiff(s.components, want.components.flat())).toBeLessThan(2e-3);
      });
    }
  }
});
