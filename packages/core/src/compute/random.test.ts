import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';

// Gamma by Marsaglia–Tsang and Beta as a ratio of Gammas, checked by their first two moments.
describe('Rng gamma and beta', () => {
  const n = 40000;
  const moments = (draw: () => number) => {
    const xs = Array.from({ length: n }, draw);
    const mean = xs.reduce((s, v) => s + v, 0) / n;
    return { xs, mean, variance: xs.reduce((s, v) => s + (v - mean) ** 2, 0) / n };
  };

  it.each([0.3, 1, 4.5])('Gamma(%f): mean and variance k', (k) => {
    const rng = new Rng(1);
    const { xs, mean, variance } = moments(() => rng.gamma(k));
    expect(xs.every((x) => x >= 0)).toBe(true);
    expect(Math.abs(mean - k)).toBeLessThan(0.05 * Math.max(1, k));
    expect(Math.abs(variance - k)).toBeLessThan(0.08 * Math.max(1, k));
  });

  it.each([
    [0.2, 0.2],
    [1, 1],
    [2, 5],
  ])('Beta(%f, %f): in [0, 1], mean a/(a+b), variance ab/((a+b)²(a+b+1))', (a, b) => {
    const rng = new Rng(2);
    const { xs, mean, variance } = moments(() => rng.beta(a, b));
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.abs(mean - a / (a + b))).toBeLessThan(0.01);
    expect(Math.abs(variance - (a * b) / ((a + b) ** 2 * (a + b + 1)))).toBeLessThan(0.005);
  });

  it('is deterministic for a seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.beta(0.4, 0.4));
    };
    expect(draw(9)).toEqual(draw(9));
  });
});
