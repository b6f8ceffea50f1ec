import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { createOrtFastMatmul } from '../../compute/fast-matmul/ort-fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { gpuForTests } from '../../node/testing/index.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { encodeComponentState } from '../component-state.js';
import { Pca, type PcaCompute } from './pca.js';
import { chooseStrategy } from './pca-fit.js';

const runtime = await createOrtNodeRuntime();
const fastMatmul = createOrtFastMatmul(runtime, { threads: 1 });
const gpu = await gpuForTests();
afterAll(async () => {
  await fastMatmul.release();
  gpu.device?.destroy();
});

/** Correlated data [rows, cols]: a few strong directions plus noise, offset from the origin. */
function data(seed: number, rows: number, cols: number): Float32Array {
  const rng = new Rng(seed);
  const directions = Array.from({ length: 3 }, () => Float64Array.from({ length: cols }, () => rng.normal()));
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const weights = [5 * rng.normal(), 2 * rng.normal(), rng.normal()];
    for (let c = 0; c < cols; c++) x[r * cols + c] = 2 + 0.1 * rng.normal() + weights.reduce((s, w, k) => s + w * directions[k]![c]!, 0);
  }
  return x;
}

const computes: { name: string; compute: () => PcaCompute | undefined }[] = [
  { name: 'cpu device + onnxruntime fast matmul', compute: () => ({ device: new CpuDevice(), fastMatmul }) },
  { name: 'cpu device kernels', compute: () => ({ device: new CpuDevice() }) },
  { name: 'webgpu', compute: () => (gpu.device ? { device: gpu.device } : undefined) },
];

for (const { name, compute } of computes) {
  describe.skipIf(name === 'webgpu' && !gpu.device)(`PCA on ${name}`, () => {
    const [rows, cols] = [300, 20];
    const x = Tensor.cpu('f32', [rows, cols], data(1, rows, cols));

    for (const whiten of [false, true]) {
      it(`train-time transform and save → load → transform give identical outputs (whiten ${whiten})`, async () => {
        const pca = await new Pca({ components: 3, whiten }, compute()!).fit(x);
        const trained = await pca.compute.device.read(await pca.transform(x));
        const loaded = Pca.load(pca.save(), compute()!);
        const served = await loaded.compute.device.read(await loaded.transform(x));
        expect(served).toEqual(trained);
        expect(loaded.state.explainedVariance).toEqual(pca.state.explainedVariance);
        expect(loaded.state.explainedVarianceRatio).toEqual(pca.state.explainedVarianceRatio);
        expect(loaded.state.mean).toEqual(pca.state.mean);
        expect(loaded.state.components).toEqual(pca.state.components);
        pca.dispose();
        loaded.dispose();
      });
    }

    it('projects to uncorrelated outputs with the explained variances (unit variances when whitened)', async () => {
      for (const whiten of [false, true]) {
        const pca = await new Pca({ components: 3, whiten }, compute()!).fit(x);
        const y = await pca.compute.device.read(await pca.transform(x));
        const { explainedVariance, explainedVarianceRatio } = pca.state;
        expect(explainedVariance[0]).toBeGreaterThan(explainedVariance[1]!);
        expect(explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.95);
        for (let a = 0; a < 3; a++) {
          for (let b = 0; b < 3; b++) {
            let mean = 0;
            let cov = 0;
            for (let r = 0; r < rows; r++) mean += y[r * 3 + a]! / rows;
            for (let r = 0; r < rows; r++) cov += (y[r * 3 + a]! * y[r * 3 + b]!) / (rows - 1);
            expect(Math.abs(mean)).toBeLessThan(1e-3);
            const want = a !== b ? 0 : whiten ? 1 : explainedVariance[a]!;
            expect(Math.abs(cov - want)).toBeLessThan(1e-3 * Math.max(1, want));
          }
        }
        pca.dispose();
      }
    });

    it('transforms one vector [dim] to [components]', async () => {
      const pca = await new Pca({ components: 2 }, compute()!).fit(x);
      const one = await pca.transform(Tensor.cpu('f32', [cols], x.data.slice(cols, 2 * cols)));
      expect(one.shape).toEqual([2]);
      const batch = await pca.compute.device.read(await pca.transform(x));
      const single = await pca.compute.device.read(one);
      expect(Math.abs(single[0]! - batch[2]!)).toBeLessThan(1e-5);
      pca.dispose();
    });
  });
}

describe('PCA options and state', () => {
  const cpu = { device: new CpuDevice(), fastMatmul };
  const x = Tensor.cpu('f32', [50, 8], data(2, 50, 8));

  it('auto picks covariance for moderate dims, randomized for large dims or few samples, and obeys an explicit choice', () => {
    expect(chooseStrategy(60000, 784, { components: 64 })).toBe('covariance');
    expect(chooseStrategy(60000, 2048, { components: 64 })).toBe('randomized');
    expect(chooseStrategy(500, 1000, { components: 10 })).toBe('randomized');
    expect(chooseStrategy(1000, 100, { components: 20 })).toBe('covariance');
    expect(chooseStrategy(1000, 100, { components: 20, strategy: 'randomized' })).toBe('randomized');
  });

  it('rejects bad options with FEATURE_OPTION_INVALID, naming the value and the valid range', async () => {
    const fit = (options: ConstructorParameters<typeof Pca>[0], tensor: Tensor = x) => new Pca(options, cpu).fit(tensor);
    await expect(fit({ components: 9 })).rejects.toThrow(/components 9 must be an integer in \[1, min\(samples, dim\)\] = \[1, 8\]/);
    await expect(fit({ components: 0 })).rejects.toMatchObject({ code: 'FEATURE_OPTION_INVALID' });
    await expect(fit({ components: 2, strategy: 'svd' as never })).rejects.toThrow(/strategy "svd" is not one of auto, covariance, gram, randomized/);
    await expect(fit({ components: 2, powerIterations: -1 })).rejects.toThrow(/powerIterations -1/);
    await expect(fit({ components: 1 }, Tensor.cpu('f32', [1, 8]))).rejects.toThrow(/at least 2 samples, got 1/);
    await expect(fit({ components: 1 }, Tensor.cpu('u8', [4, 2]))).rejects.toThrow(ShapeError);
    await expect(fit({ components: 1 }, Tensor.cpu('f32', [2, 2], [1, Number.NaN, 3, 4]))).rejects.toThrow(/the 2×2 data holds NaN or infinite values/);
  });

  it('refuses to transform before fit, and batches of the wrong width', async () => {
    const pca = new Pca({ components: 2 }, cpu);
    await expect(pca.transform(x)).rejects.toMatchObject({ code: 'FEATURE_NOT_FITTED' });
    await pca.fit(x);
    await expect(pca.transform(Tensor.cpu('f32', [3, 7]))).rejects.toThrow(/batch must be f32 \[n, 8\] or \[8\], got f32 \[3, 7\]/);
  });

  it('detects a corrupted, truncated, foreign or future state', async () => {
    const pca = await new Pca({ components: 2 }, cpu).fit(x);
    const bytes = pca.save();
    const flipped = bytes.slice();
    flipped[bytes.length - 3]! ^= 0x40;
    expect(() => Pca.load(flipped, cpu)).toThrow(/checksum mismatch/);
    expect(() => Pca.load(bytes.slice(0, bytes.length - 4), cpu)).toThrow(/do not add up .* \(truncated\?\)/);
    expect(() => Pca.load(new Uint8Array(40), cpu)).toThrow(/no "CVFS" magic/);
    expect(() => Pca.load(encodeComponentState({ kind: 'hog', version: 1 }), cpu)).toThrow(/holds a "hog" component, not "pca"/);
    let error: unknown;
    try {
      Pca.load(encodeComponentState({ kind: 'pca', version: 2 }), cpu);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeatureError);
    expect((error as FeatureError).code).toBe('FEATURE_STATE_UNSUPPORTED');
    expect((error as FeatureError).message).toMatch(/version 2 is not supported; this version reads 1/);
    const header = { kind: 'pca', version: 1, dim: 8, componentCount: 2, whiten: false, samples: 50, strategy: 'covariance', explainedVariance: [1], totalVariance: 2, body: { mean: [0, 8], components: [8, 16] } };
    expect(() => Pca.load(encodeComponentState(header, new Uint8Array(96)), cpu)).toThrow(/explainedVariance must hold 2 non-negative numbers/);
  });

  it('centers a copy of data far from the origin, and still matches the covariance fit', async () => {
    // Offset 1e5 with unit spread: f32 products with the raw data would lose the spread.
    const rng = new Rng(5);
    const [rows, cols] = [400, 64];
    const far = Tensor.cpu('f32', [rows, cols], Float32Array.from({ length: rows * cols }, (_, i) => 1e5 + (i % cols < 2 ? 3 : 1) * rng.normal()));
    const randomized = await new Pca({ components: 2, strategy: 'randomized' }, cpu).fit(far);
    const covariance = await new Pca({ components: 2, strategy: 'covariance' }, cpu).fit(far);
    for (let k = 0; k < 2; k++) {
      // Centered first: ~1e-7 apart; corrected rank-one products instead would be ~1e-3 apart.
      expect(Math.abs(randomized.state.explainedVariance[k]! - covariance.state.explainedVariance[k]!) / covariance.state.explainedVariance[k]!).toBeLessThan(1e-5);
    }
    expect(covariance.state.explainedVariance[0]).toBeGreaterThan(5);
  });
});
