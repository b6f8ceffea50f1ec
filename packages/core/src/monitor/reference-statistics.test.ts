import { describe, expect, it } from 'vitest';
import { computeReferenceStatistics } from './reference-statistics.js';

describe('drift reference statistics', () => {
  // Two components over 5 rows: x = 1..5, y = 10·x² (skewed), labels 0,0,1,1,1.
  const rows = 5;
  const features = Float32Array.from({ length: rows * 2 }, (_, i) => (i % 2 === 0 ? Math.floor(i / 2) + 1 : 10 * (Math.floor(i / 2) + 1) ** 2));
  const labels = Int32Array.of(0, 0, 1, 1, 1);

  it('gives per-component mean, unbiased variance, interpolated quantiles and the class prior', () => {
    const r = computeReferenceStatistics({ space: 'pca', features, rows, dim: 2, labels, classCount: 3, seed: 1, quantileLevels: [0, 0.25, 0.5, 0.9, 1] });
    expect(r).toMatchObject({ space: 'pca', count: 5, dim: 2, sampleRows: 5, sampleSeed: 1 });
    expect(Array.from(r.mean)).toEqual([3, 110]);
    // x: Σ(x − 3)² / 4 = 10 / 4; y = 10, 40, 90, 160, 250: Σ(y − 110)² / 4 = 37400 / 4.
    expect(Array.from(r.variance)).toEqual([2.5, 9350]);
    // numpy.quantile(..., method='linear'): position (n − 1)·q, so 0.9 → 3.6 between the 4th and 5th values.
    expect(Array.from(r.quantiles)).toEqual([1, 10, 2, 40, 3, 90, expect.closeTo(4.6, 5), expect.closeTo(214, 4), 5, 250]);
    expect(Array.from(r.classPrior).map((p) => Number(p.toFixed(6)))).toEqual([0.4, 0.6, 0]);
    expect(Array.from(r.sample)).toEqual(Array.from(features));
  });

  it('keeps a seeded sample of rows, in training order, the same for the same seed', () => {
    const many = 300;
    const wide = Float32Array.from({ length: many * 3 }, (_, i) => i);
    const take = (seed: number) => computeReferenceStatistics({ space: 'features', features: wide, rows: many, dim: 3, labels: new Int32Array(many), classCount: 1, seed, sampleSize: 40 });
    const a = take(7);
    expect(a.sampleRows).toBe(40);
    const firsts = Array.from({ length: 40 }, (_, k) => a.sample[k * 3]!);
    expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
    firsts.forEach((v, k) => expect(Array.from(a.sample.subarray(k * 3, k * 3 + 3))).toEqual([v, v + 1, v + 2]));
    expect(Array.from(take(7).sample)).toEqual(Array.from(a.sample));
    expect(Array.from(take(8).sample)).not.toEqual(Array.from(a.sample));
  });

  it('refuses rows without labels', () => {
    expect(() => computeReferenceStatistics({ space: 'pca', features, rows, dim: 2, labels: labels.subarray(1), classCount: 2, seed: 1 })).toThrow(expect.objectContaining({ code: 'PIPELINE_FAILED' }));
  });
});
