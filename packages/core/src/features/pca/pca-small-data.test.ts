import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { createOrtFastMatmul } from '../../compute/fast-matmul/ort-fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { NumericalError } from '../../errors.js';
import { gpuForTests } from '../../node/testing/index.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { HogExtractor } from '../hog/hog-extractor.js';
import { Pca, type PcaCompute } from './pca.js';
import { chooseStrategy, type PcaStrategy } from './pca-fit.js';
import { symmetricEigen } from './symmetric-eigen.js';

// Fewer samples than features — a small medical cohort described by HOG — makes the covariance
// rank-deficient: hundreds or thousands of (numerically) equal zero eigenvalues.

const runtime = await createOrtNodeRuntime();
const fastMatmul = createOrtFastMatmul(runtime, { threads: 1 });
const gpu = await gpuForTests();
afterAll(async () => {
  await fastMatmul.release();
  gpu.device?.destroy();
});
const cpu: PcaCompute = { device: new CpuDevice(), fastMatmul };

/**
 * CT-like slices as the medical pipeline sees them: 7 patients × 16 slices of 64×64, air around
 * an elliptic body with two lungs, HU noise, a nodule in every other patient; lung-windowed,
 * normalized, described by HOG (8×8 cells, 2×2 blocks, 9 bins → 1764 features).
 */
async function ctLikeHogFeatures(): Promise<Tensor> {
  const rng = new Rng(7);
  const [count, size] = [112, 64];
  const images = new Float32Array(count * size * size);
  for (let i = 0; i < count; i++) {
    const [patient, slice] = [Math.floor(i / 16), i % 16];
    const [rx, ry] = [26 + (patient % 3), 20 + (slice % 4)];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let hu = -1000;
        if (((x - 32) / rx) ** 2 + ((y - 32) / ry) ** 2 < 1) {
          hu = 40;
          if (((Math.abs(x - 32) - 12) / 8) ** 2 + ((y - 32) / (ry - 5)) ** 2 < 1) hu = -850;
          if (patient % 2 === 1 && (x - 20) ** 2 + (y - 30 - (slice % 3)) ** 2 < 16) hu = 30;
          hu += 20 * rng.normal();
        }
        const windowed = Math.min(1, Math.max(0, (hu + 1350) / 1500));
        images[i * size * size + y * size + x] = (windowed - 0.5) / 0.25;
      }
    }
  }
  const hog = new HogExtractor({ orientations: 9, cellSize: [8, 8], blockSize: [2, 2], binning: 'linear' }, new CpuDevice());
  return hog.transform(Tensor.cpu('f32', [count, size, size], images));
}

/** Gaussian data [rows, cols] with a decaying spectrum. */
function gaussian(seed: number, rows: number, cols: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * cols }, (_, i) => (1 + 4 / (1 + (i % cols))) * rng.normal());
}

/** Largest |W·Wᵀ − I| over the fitted components: 0 for an orthonormal set. */
function orthonormalityError(pca: Pca): number {
  const { components, componentCount: k, dim } = pca.state;
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += components[a * dim + c]! * components[b * dim + c]!;
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/** The exact fits agree with each other on every variance (relative to the largest). */
function expectSameVariances(a: Pca, b: Pca, tolerance: number): void {
  const scale = a.state.explainedVariance[0]!;
  a.state.explainedVariance.forEach((v, k) => expect(Math.abs(v - b.state.explainedVariance[k]!) / scale).toBeLessThan(tolerance));
}

const fit = (x: Tensor, components: number, strategy: PcaStrategy, compute: PcaCompute = cpu) => new Pca({ components, strategy }, compute).fit(x);

describe('PCA with fewer samples than features', () => {
  it('fits the medical reproduction (112 CT-like slices × 1764 HOG features → 64) with every method, and auto avoids the covariance', async () => {
    const x = await ctLikeHogFeatures();
    expect(x.shape).toEqual([112, 1764]);
    expect(chooseStrategy(112, 1764, { components: 64 })).not.toBe('covariance');
    const fits = Object.fromEntries(await Promise.all((['covariance', 'gram', 'randomized', 'auto'] as const).map(async (s) => [s, await fit(x, 64, s)] as const)));
    expect(['gram', 'randomized']).toContain(fits.auto!.state.strategy);
    for (const pca of Object.values(fits)) expect(orthonormalityError(pca)).toBeLessThan(1e-4);
    // f32 products on both sides: the covariance and the Gram routes agree to ~1e-7 of the top variance.
    expectSameVariances(fits.covariance!, fits.gram!, 1e-5);
    // Randomized iteration is approximate in the tail; its leading variances match.
    for (let k = 0; k < 8; k++) expect(Math.abs(fits.randomized!.state.explainedVariance[k]! / fits.gram!.state.explainedVariance[k]! - 1)).toBeLessThan(1e-3);
  });

  it('n ≪ d (12 × 300, all 12 components): the exact methods agree, the last axis has no variance and is still a unit vector orthogonal to the rest', async () => {
    const x = Tensor.cpu('f32', [12, 300], gaussian(1, 12, 300));
    const covariance = await fit(x, 12, 'covariance');
    const gram = await fit(x, 12, 'gram');
    expectSameVariances(covariance, gram, 1e-5);
    for (const pca of [covariance, gram]) {
      // Centered, 12 samples span 11 dimensions.
      expect(pca.state.explainedVariance[11]! / pca.state.explainedVariance[0]!).toBeLessThan(1e-6);
      expect(orthonormalityError(pca)).toBeLessThan(1e-5);
    }
  });

  it('duplicated rows (8 distinct samples × 4 copies, 100 features): rank 7, every method converges to the same spectrum', async () => {
    const distinct = gaussian(2, 8, 100);
    const x = Tensor.cpu('f32', [32, 100], Float32Array.from({ length: 32 * 100 }, (_, i) => distinct[(Math.floor(i / 100) % 8) * 100 + (i % 100)]!));
    const covariance = await fit(x, 24, 'covariance');
    const gram = await fit(x, 24, 'gram');
    expectSameVariances(covariance, gram, 1e-5);
    for (const pca of [covariance, gram]) {
      expect(pca.state.explainedVariance[6]! / pca.state.explainedVariance[0]!).toBeGreaterThan(1e-3);
      for (let k = 7; k < 24; k++) expect(pca.state.explainedVariance[k]! / pca.state.explainedVariance[0]!).toBeLessThan(1e-6);
      expect(orthonormalityError(pca)).toBeLessThan(1e-5);
    }
  });

  it('constant features (80 of 120 columns never change, 40 samples): the full eigensolver converges, and no axis leans on a constant column', async () => {
    const varying = gaussian(3, 40, 40);
    const x = Tensor.cpu('f32', [40, 120], Float32Array.from({ length: 40 * 120 }, (_, i) => (i % 120 < 40 ? varying[Math.floor(i / 120) * 40 + (i % 120)]! : 0.25 * (i % 120))));
    const covariance = await fit(x, 40, 'covariance');
    const gram = await fit(x, 40, 'gram');
    expectSameVariances(covariance, gram, 1e-5);
    for (const pca of [covariance, gram]) {
      expect(orthonormalityError(pca)).toBeLessThan(1e-5);
      const { components, dim } = pca.state;
      for (let k = 0; k < 39; k++) {
        let onConstant = 0;
        for (let c = 40; c < dim; c++) onConstant += components[k * dim + c]! ** 2;
        expect(onConstant).toBeLessThan(1e-6);
      }
    }
  });

  it('more components than samples is refused with the largest count that fits', async () => {
    const x = Tensor.cpu('f32', [40, 1764], gaussian(6, 40, 1764));
    await expect(fit(x, 64, 'auto')).rejects.toThrow(/components 64 must be an integer in \[1, min\(samples, dim\)\] = \[1, 40\] \(40 samples × 1764 features\); set pca\.components to at most 40$/);
  });

  it('auto: gram or randomized whenever samples are fewer than features, covariance for Fashion-MNIST as before', () => {
    for (const [rows, cols, components] of [[112, 1764, 64], [20, 300, 12], [1000, 4096, 256], [300, 301, 200]] as const) {
      expect(chooseStrategy(rows, cols, { components })).not.toBe('covariance');
    }
    expect(chooseStrategy(112, 1764, { components: 100 })).toBe('gram');
    expect(chooseStrategy(60000, 784, { components: 64 })).toBe('covariance');
  });
});

describe('PCA numerical failures', () => {
  it('symmetricEigen refuses a non-finite matrix with NUMERICAL_FAILURE, naming the value and where it is', () => {
    const a = Float64Array.from([1, 0, 0, 0, Number.NaN, 0, 0, 0, 1]);
    expect(() => symmetricEigen(a, 3)).toThrow(NumericalError);
    expect(() => symmetricEigen(a, 3)).toThrow(/the 3×3 matrix holds NaN at \(1, 1\)/);
  });

  it('a fit whose products overflow float32 fails with NUMERICAL_FAILURE and a message that names the fix', async () => {
    // Finite f32 data whose squares (~1e42) are not: the covariance overflows to ∞.
    const x = Tensor.cpu('f32', [30, 10], Float32Array.from(gaussian(4, 30, 10), (v) => v * 1e21));
    const error = await fit(x, 3, 'covariance').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NumericalError);
    expect(error).toMatchObject({ code: 'NUMERICAL_FAILURE' });
    expect((error as Error).message).toMatch(/^PCA \(method covariance, 30 samples × 10 features\): symmetricEigen: the 10×10 matrix holds (Infinity|NaN)/);
    expect((error as Error).message).toMatch(/the features are too large for float32 products: scale them \(preprocess\.normalize, or a smaller feature range\) or set pca\.enabled: false$/);
  });
});

describe.skipIf(!gpu.device)('PCA with fewer samples than features on WebGPU', () => {
  it('the Gram route on the device gives the CPU reference fit (variances and axes)', async () => {
    const x = Tensor.cpu('f32', [16, 256], gaussian(5, 16, 256));
    const reference = await fit(x, 12, 'gram', { device: new CpuDevice() });
    const device = await fit(x, 12, 'gram', { device: gpu.device! });
    expectSameVariances(reference, device, 1e-4);
    expect(orthonormalityError(device)).toBeLessThan(1e-4);
    const { components, dim } = reference.state;
    for (let k = 0; k < 12; k++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += components[k * dim + c]! * device.state.components[k * dim + c]!;
      // Same sign convention on both sides; well-separated variances give the same axis.
      expect(dot).toBeGreaterThan(0.999);
    }
    device.dispose();
  });
});
if (gpu.skip) console.log(`PCA small-data WebGPU test skipped: ${gpu.skip}`);
