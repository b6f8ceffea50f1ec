import { describe, expect, it } from 'vitest';
import { fromHalf, toHalf } from './fp16.js';

describe('binary16 conversion', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -24, 0x0001],
    [0.333251953125, 0x3555],
    [Infinity, 0x7c00],
  ])('%s ↔ 0x%s', (value, bits) => {
    expect(toHalf(value)).toBe(bits);
    if (Math.abs(value) <= 65504) expect(fromHalf(bits)).toBe(value);
  });

  it('rounds to the nearest half, ties to even', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: even mantissa (1) wins.
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(fromHalf(toHalf(Number.NaN)))).toBe(true);
  });
});
