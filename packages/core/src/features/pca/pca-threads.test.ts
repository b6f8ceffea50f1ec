import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { createOrtFastMatmul } from '../../compute/fast-matmul/ort-fast-matmul.js';
import type { FastMatmul } from '../../compute/fast-matmul/fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { Pca } from './pca.js';

// A PCA fit's products (the centered Gram matrix of the covariance strategy, X·Bᵀ and Yᵀ·X of the
// randomized one) run in ONNX Runtime's MLAS on `threads` intra-op threads. MLAS splits a product
// by output blocks, never along the summed dimension, so every output value is summed in the same
// order whatever the thread count: the fits must be bit-identical on 1, 2 and 4 threads.
const runtime = await createOrtNodeRuntime();
const engines = new Map<number, FastMatmul>([1, 2, 4].map((threads) => [threads, createOrtFastMatmul(runtime, { threads })]));
afterAll(async () => {
  for (const engine of engines.values()) await engine.release();
});

/** Correlated data [rows, cols] with a decaying spectrum, offset from the origin. */
function data(seed: number, rows: number, cols: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(rows * cols);
  const directions = Array.from({ length: 8 }, () => Float64Array.from({ length: cols }, () => rng.normal()));
  for (let r = 0; r < rows; r++) {
    const weights = directions.map((_, k) => rng.normal() * 4 * 0.6 ** k);
    for (let c = 0; c < cols; c++) x[r * cols + c] = 1.5 + 0.05 * rng.normal() + weights.reduce((s, w, k) => s + w * directions[k]![c]!, 0);
  }
  return x;
}

const ROWS = 6000;
const COLS = 200;
const x = data(7, ROWS, COLS);

async function fit(threads: number, strategy: 'covariance' | 'randomized'): Promise<Pca> {
  const pca = new Pca({ components: 12, strategy }, { device: new CpuDevice(), fastMatmul: engines.get(threads)! });
  await pca.fit(Tensor.cpu('f32', [ROWS, COLS], x));
  return pca;
}

describe('PCA products on several threads', () => {
  for (const strategy of ['covariance', 'randomized'] as const) {
    it(`${strategy}: fits on 2 and 4 threads equal the one-thread fit bit for bit`, async () => {
      const one = (await fit(1, strategy)).state;
      expect(one.strategy).toBe(strategy);
      for (const threads of [2, 4]) {
        const many = (await fit(threads, strategy)).state;
        expect(many.components).toEqual(one.components);
        expect(many.mean).toEqual(one.mean);
        expect(many.explainedVariance).toEqual(one.explainedVariance);
        expect(many.totalVariance).toBe(one.totalVariance);
      }
    });
  }

  it('reports its thread count', () => {
    expect(engines.get(2)!.description).toMatch(/2 threads/);
  });
});
