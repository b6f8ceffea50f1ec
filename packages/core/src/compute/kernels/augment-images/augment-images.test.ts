import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../errors.js';
import { hash32 } from '../dropout/dropout-mask.js';
import { AUGMENT_PLAN_FIELDS, augmentImages } from './augment-images.js';
import { noiseNormal } from './gaussian-noise.js';

describe('augment-images validation', () => {
  it('gives [copies, C, H, W]', () => {
    const out = augmentImages.outputs({ images: { shape: [4, 3, 5, 6], dtype: 'f32' }, plan: { shape: [7, AUGMENT_PLAN_FIELDS], dtype: 'f32' } }, {});
    expect(out.out.shape).toEqual([7, 3, 5, 6]);
  });
  it('rejects images that are not [n, C, H, W] and a plan of the wrong width', () => {
    const plan = { shape: [1, AUGMENT_PLAN_FIELDS], dtype: 'f32' } as const;
    expect(() => augmentImages.outputs({ images: { shape: [3, 5, 6], dtype: 'f32' }, plan }, {})).toThrow(ShapeError);
    expect(() => augmentImages.outputs({ images: { shape: [1, 1, 5, 6], dtype: 'f32' }, plan: { shape: [1, 9], dtype: 'f32' } }, {})).toThrow(/plan \[1, 9\] must be \[copies, 16\]/);
  });
});

describe('counter-based Gaussian noise', () => {
  const n = 200_000;
  const draws = Float64Array.from({ length: n }, (_, i) => noiseNormal(hash32(99), i));
  const moment = (k: number) => draws.reduce((s, v) => s + v ** k, 0) / n;

  it('has the moments of N(0, 1): mean 0, variance 1, kurtosis 3', () => {
    expect(Math.abs(moment(1))).toBeLessThan(0.01);
    expect(Math.abs(moment(2) - 1)).toBeLessThan(0.01);
    expect(Math.abs(moment(4) - 3)).toBeLessThan(0.06);
  });

  it('puts 68.3% within one σ and 95.4% within two', () => {
    const within = (t: number) => draws.filter((v) => Math.abs(v) < t).length / n;
    expect(Math.abs(within(1) - 0.6827)).toBeLessThan(0.005);
    expect(Math.abs(within(2) - 0.9545)).toBeLessThan(0.003);
  });

  it('different seeds are uncorrelated', () => {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += draws[i]! * noiseNormal(hash32(100), i);
    expect(Math.abs(dot / n)).toBeLessThan(0.01);
  });
});
