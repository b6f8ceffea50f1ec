import type { KernelCase } from '../kernel.js';
import type { Rng } from '../random.js';
import type { SimilarityMetric } from './similarity-metric.js';

/** The attributes similarity-top-k and flat-top-k share (flat-top-k adds slices). */
export interface SimilarityCaseAttrs {
  readonly metric: SimilarityMetric;
  readonly k: number;
  readonly slices?: number;
}

const queries = { shape: [2, 2], dtype: 'f32' as const, data: [1, 0, 0, 1] };
const base = { shape: [4, 2], dtype: 'f32' as const, data: [2, 0, 0, 3, 1, 1, -1, 0] };
const all = { shape: [4], dtype: 'u8' as const, data: [1, 1, 1, 1] };

/** Small hand-checked cases every metric of a (query × base, top-k) kernel must pass. */
export const similarityFixedCases: readonly KernelCase<SimilarityCaseAttrs>[] = [
  {
    name: 'dot, k = 2',
    inputs: { queries, base, mask: all },
    attrs: { metric: 'dot', k: 2 },
    expected: { values: [2, 1, 3, 1], indices: [0, 2, 1, 2] },
  },
  {
    name: 'squared L2, smallest first; masked-out vector 2 never counts',
    inputs: { queries, base, mask: { shape: [4], dtype: 'u8', data: [1, 1, 0, 1] } },
    attrs: { metric: 'l2', k: 2 },
    expected: { values: [1, 4, 2, 4], indices: [0, 3, 3, 1] },
  },
  {
    name: 'cosine; fewer candidates than k pads with (−∞, −1)',
    inputs: { queries, base, mask: { shape: [4], dtype: 'u8', data: [0, 1, 1, 0] } },
    attrs: { metric: 'cosine', k: 3 },
    expected: { values: [Math.SQRT1_2, 0, -Infinity, 1, Math.SQRT1_2, -Infinity], indices: [2, 1, -1, 1, 2, -1] },
  },
];

/** Multiples of 1/4 in [−1, 1]: dot products and squared distances are exact in f32, so ties are exact too. */
function quarters(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.int(-4, 4) / 4);
}

function mask(rng: Rng, n: number, keep: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rng.next() < keep ? 1 : 0));
}

/**
 * Seeded random cases: dot and l2 on quarter steps (exact ties), with `quarterAttrs` drawing each
 * one's k (and slices), then one cosine case.
 */
export function similarityRandomCases(rng: Rng, quarterAttrs: (metric: 'dot' | 'l2') => SimilarityCaseAttrs): Omit<KernelCase<SimilarityCaseAttrs>, 'expected'>[] {
  const m = rng.int(1, 20);
  const n = rng.int(1, 700);
  const d = rng.int(1, 40);
  const cases: Omit<KernelCase<SimilarityCaseAttrs>, 'expected'>[] = (['dot', 'l2'] as const).map((metric) => ({
    name: `random ${metric} (quarter steps, exact ties)`,
    inputs: {
      queries: { shape: [m, d], dtype: 'f32' as const, data: quarters(rng, m * d) },
      base: { shape: [n, d], dtype: 'f32' as const, data: quarters(rng, n * d) },
      mask: { shape: [n], dtype: 'u8' as const, data: mask(rng, n, 0.8) },
    },
    attrs: quarterAttrs(metric),
  }));
  // Cosine divides, so scores are not exact; continuous values in 8+ dimensions make near-ties
  // improbable (in one dimension every cosine is ±1 and the order would rest on rounding).
  const cm = rng.int(1, 6);
  const cn = rng.int(1, 300);
  const cd = rng.int(8, 40);
  cases.push({
    name: 'random cosine',
    inputs: {
      queries: { shape: [cm, cd], dtype: 'f32', data: rng.floats(cm * cd) },
      base: { shape: [cn, cd], dtype: 'f32', data: rng.floats(cn * cd) },
      mask: { shape: [cn], dtype: 'u8', data: mask(rng, cn, 0.9) },
    },
    attrs: { metric: 'cosine', k: rng.int(1, 8) },
  });
  return cases;
}
