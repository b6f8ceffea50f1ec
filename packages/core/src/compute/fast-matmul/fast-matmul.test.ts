import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../../errors.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { Rng } from '../random.js';
import type { FastMatmul } from './fast-matmul.js';
import { createJsFastMatmul } from './js-fast-matmul.js';
import { createOrtFastMatmul } from './ort-fast-matmul.js';

/** The product in float64 with plain indexing: the oracle. */
function reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[ta ? t * m + i : i * k + t]! * b[tb ? j * k + t : t * n + j]!;
      out[i * n + j] = s;
    }
  }
  return out;
}

function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

const runtime = await createOrtNodeRuntime();
const implementations: { name: string; fast: FastMatmul }[] = [
  { name: 'onnxruntime-node cpu, 1 thread', fast: createOrtFastMatmul(runtime, { threads: 1 }) },
  { name: 'onnxruntime-node cpu, default threads', fast: createOrtFastMatmul(runtime) },
  { name: 'javascript', fast: createJsFastMatmul() },
];
afterAll(async () => {
  for (const { fast } of implementations) await fast.release();
});

for (const { name, fast } of implementations) {
  describe(`fast matmul: ${name}`, () => {
    it('says what computes', () => {
      expect(fast.description).toBe(name.replace(', default threads', '').replace('javascript', 'javascript loops'));
    });

    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`matches the float64 product, transposeA ${ta}, transposeB ${tb}, on sizes across blocking edges`, async () => {
        const rng = new Rng(ta ? 11 : 5 + (tb ? 1 : 0));
        for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [67, 33, 129], [130, 17, 300]] as const) {
          const a = rng.floats(m * k);
          const b = rng.floats(k * n);
          const got = await fast.matmul(a, b, { m, n, k }, { transposeA: ta, transposeB: tb });
          expect(worstRelative(got, reference(a, b, m, n, k, ta, tb)), `${m}×${k}·${k}×${n}`).toBeLessThan(1e-5);
        }
      });
    }

    it('computes the centered Gram matrix, subtracting before multiplying (no cancellation at large offsets)', async () => {
      const rng = new Rng(3);
      const [rows, cols] = [500, 21];
      const x = Float32Array.from({ length: rows * cols }, () => 1000 + rng.normal());
      const center = new Float32Array(cols).fill(1000);
      const got = await fast.centeredGram(x, rows, cols, center);
      const centered = x.map((v, i) => v - center[i % cols]!);
      const want = reference(centered, centered, cols, cols, rows, true, false);
      expect(worstRelative(got, want)).toBeLessThan(1e-4);
      // About 500 on the diagonal (unit variance): a one-pass XᵀX − n·ccᵀ in f32 would be off by hundreds.
      expect(got[0]).toBeGreaterThan(400);
    });

    it('handles empty sizes', async () => {
      expect(await fast.matmul(new Float32Array(0), new Float32Array(6), { m: 0, n: 3, k: 2 })).toEqual(new Float32Array(0));
      expect(await fast.matmul(new Float32Array(0), new Float32Array(0), { m: 2, n: 3, k: 0 })).toEqual(new Float32Array(6));
      expect(await fast.centeredGram(new Float32Array(0), 0, 2, new Float32Array(2))).toEqual(new Float32Array(4));
    });

    it('rejects arrays that do not fit the shape, naming the sizes', async () => {
      await expect(fast.matmul(new Float32Array(5), new Float32Array(6), { m: 2, n: 3, k: 2 })).rejects.toThrow(ShapeError);
      await expect(fast.matmul(new Float32Array(4), new Float32Array(5), { m: 2, n: 3, k: 2 })).rejects.toThrow(/b has 5 values, but op\(b\) is 2×3 = 6/);
      await expect(fast.matmul(new Float32Array(4), new Float32Array(6), { m: 2, n: 3, k: 2.5 })).rejects.toThrow(/k = 2.5 must be a non-negative integer/);
      await expect(fast.centeredGram(new Float32Array(6), 2, 3, new Float32Array(2))).rejects.toThrow(/center has 2 values; it needs one per column \(3\)/);
    });
  });
}

describe('onnxruntime fast matmul', () => {
  it('rejects a thread count that is not a positive integer', () => {
    expect(() => createOrtFastMatmul(runtime, { threads: 0 })).toThrow(/threads 0 must be a positive integer/);
  });

  it('cannot compute after release', async () => {
    const fast = createOrtFastMatmul(runtime, { threads: 1 });
    expect(await fast.matmul(Float32Array.of(2), Float32Array.of(3), { m: 1, n: 1, k: 1 })).toEqual(Float32Array.of(6));
    await fast.release();
    await expect(fast.matmul(Float32Array.of(2), Float32Array.of(3), { m: 1, n: 1, k: 1 })).rejects.toThrow(/used after release/);
  });
});
