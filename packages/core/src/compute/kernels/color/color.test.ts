import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../errors.js';
import { color } from './color.js';

describe('color validation', () => {
  it('changes the channel count on the channel axis only', () => {
    expect(color.outputs({ x: { shape: [2, 4, 5, 6], dtype: 'u8' } }, { conversion: 'rgb-to-gray' }).out.shape).toEqual([2, 1, 5, 6]);
    expect(color.outputs({ x: { shape: [5, 6, 1], dtype: 'u8' } }, { conversion: 'gray-to-rgb', channelAxis: -1 }).out.shape).toEqual([5, 6, 3]);
  });
  it('rejects wrong channel counts, conversions and axes', () => {
    const x = { shape: [2, 5, 6], dtype: 'u8' } as const;
    expect(() => color.outputs({ x }, { conversion: 'rgb-to-gray' })).toThrow(ShapeError);
    expect(() => color.outputs({ x }, { conversion: 'rgb-to-gray' })).toThrow(/rgb-to-gray needs 3 or 4 channels on axis -3, but x \[2, 5, 6\] has 2/);
    expect(() => color.outputs({ x }, { conversion: 'gray-to-rgb' })).toThrow(/gray-to-rgb needs 1 channel on axis -3, but x \[2, 5, 6\] has 2/);
    expect(() => color.outputs({ x }, { conversion: 'rgb-to-hsv' as never })).toThrow(/"rgb-to-hsv" is not one of rgb-to-gray, gray-to-rgb/);
    expect(() => color.outputs({ x: { shape: [5, 6], dtype: 'u8' } }, { conversion: 'gray-to-rgb' })).toThrow(/axis -3 is out of range for rank 2/);
  });
});
