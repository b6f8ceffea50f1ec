import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../errors.js';
import { resizeBilinear } from './resize-bilinear.js';

const x = { shape: [1, 3, 4, 5], dtype: 'u8' } as const;

describe('resize-bilinear validation', () => {
  it('gives [..., height, width]', () => {
    expect(resizeBilinear.outputs({ x }, { height: 7, width: 2 }).out.shape).toEqual([1, 3, 7, 2]);
  });
  it.each([
    [{ height: 0, width: 2 }, /height 0 must be an integer in \[1, 32768\]/],
    [{ height: 2, width: 2.5 }, /width 2.5 must be an integer/],
    [{ height: 2, width: 2, coordinateTransform: 'nearest' as never }, /"nearest" is not one of half_pixel, align_corners, asymmetric, pytorch_half_pixel/],
  ])('rejects %o', (attrs, message) => {
    expect(() => resizeBilinear.outputs({ x }, attrs)).toThrow(ShapeError);
    expect(() => resizeBilinear.outputs({ x }, attrs)).toThrow(message);
  });
  it('rejects rank 1 and empty planes', () => {
    expect(() => resizeBilinear.outputs({ x: { shape: [5], dtype: 'f32' } }, { height: 2, width: 2 })).toThrow(/x \[5\] must have rank ≥ 2/);
    expect(() => resizeBilinear.outputs({ x: { shape: [0, 5], dtype: 'f32' } }, { height: 2, width: 2 })).toThrow(/input height of x \[0, 5\]: 0/);
  });
});
