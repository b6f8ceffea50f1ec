import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import { kdOrder } from './kd-order.js';

describe('k-d insertion order', () => {
  it('is a permutation, and groups of eight hold vectors of one cluster', () => {
    const rng = new Rng(3);
    const dim = 6;
    const clusters = 40;
    const n = 8 * clusters;
    // Well-separated clusters of exactly eight vectors, shuffled.
    const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => rng.uniform(-100, 100)));
    const labels = Array.from({ length: n }, (_, i) => i % clusters).sort(() => rng.next() - 0.5);
    const vectors = new Float32Array(n * dim);
    labels.forEach((c, i) => {
      for (let j = 0; j < dim; j++) vectors[i * dim + j] = centres[c]![j]! + rng.uniform(-0.01, 0.01);
    });
    const order = kdOrder(vectors, n, dim);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    let pure = 0;
    for (let g = 0; g < clusters; g++) if (new Set(Array.from(order.subarray(g * 8, g * 8 + 8), (i) => labels[i])).size === 1) pure++;
    expect(pure).toBeGreaterThanOrEqual(clusters * 0.8);
  });

  it('handles fewer rows than a leaf, constant data and one dimension', () => {
    expect(Array.from(kdOrder(Float32Array.of(3, 1, 2), 3, 1))).toEqual([0, 1, 2]);
    expect(Array.from(kdOrder(new Float32Array(40), 20, 2)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const sorted = kdOrder(Float32Array.from({ length: 64 }, (_, i) => 63 - i), 64, 1);
    // On one dimension the leaves come out in value order, leaf by leaf.
    for (let leaf = 1; leaf < 8; leaf++) expect(Math.min(...Array.from(sorted.subarray(leaf * 8, leaf * 8 + 8)))).toBeLessThan(Math.min(...Array.from(sorted.subarray((leaf - 1) * 8, leaf * 8))));
  });
});
