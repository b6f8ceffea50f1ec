import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../errors.js';
import { normalize, type NormalizeAttrs } from './normalize.js';

const rgb = { shape: [1, 3, 8, 8], dtype: 'u8' } as const;

describe('normalize validation', () => {
  it('one mean and std need no channel axis', () => {
    expect(normalize.outputs({ x: { shape: [5], dtype: 'i16' } }, { mean: [0], std: [1] }).out.shape).toEqual([5]);
  });
  it.each<[NormalizeAttrs, RegExp]>([
    [{ mean: [0.5, 0.5, 0.5], std: [0.2, 0, 0.2] }, /std\[1\] is 0; every std must be non-zero \(std = \[0.2, 0, 0.2\]\)/],
    [{ mean: [0.5, 0.5], std: [0.2] }, /mean \[0.5, 0.5\] has 2 values but x \[1, 3, 8, 8\] has 3 channels on axis -3; give 1 or 3/],
    [{ mean: [0.5], std: [1, 2, 3, 4] }, /std \[1, 2, 3, 4\] has 4 values but x \[1, 3, 8, 8\] has 3 channels/],
    [{ mean: [], std: [1] }, /mean is empty/],
    [{ mean: [Number.NaN], std: [1] }, /mean\[0\] is NaN/],
    [{ mean: [0], std: [1], scale: 0 }, /scale 0 must be finite and non-zero/],
    [{ mean: [0, 0, 0], std: [1, 1, 1], channelAxis: 4 }, /axis 4 is out of range for rank 4/],
  ])('rejects %o', (attrs, message) => {
    expect(() => normalize.outputs({ x: rgb }, attrs)).toThrow(ShapeError);
    expect(() => normalize.outputs({ x: rgb }, attrs)).toThrow(message);
  });
  it('rejects more than 4 per-channel values', () => {
    const x = { shape: [5, 2, 2], dtype: 'f32' } as const;
    expect(() => normalize.outputs({ x }, { mean: [0, 0, 0, 0, 0], std: [1] })).toThrow(/x \[5, 2, 2\] has 5 channels on axis -3; per-channel mean\/std support at most 4/);
  });
});
