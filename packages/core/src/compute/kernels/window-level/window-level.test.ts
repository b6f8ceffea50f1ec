import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../errors.js';
import { windowLevel, type WindowLevelAttrs } from './window-level.js';

const x = { shape: [4, 4], dtype: 'i16' } as const;

describe('window-level validation', () => {
  it('keeps the shape; LINEAR_EXACT and SIGMOID accept widths below 1', () => {
    expect(windowLevel.outputs({ x }, { center: 40, width: 1 }).out.shape).toEqual([4, 4]);
    expect(() => windowLevel.outputs({ x }, { center: 0, width: 0.5, function: 'LINEAR_EXACT' })).not.toThrow();
    expect(() => windowLevel.outputs({ x }, { center: 0, width: 0.5, function: 'SIGMOID' })).not.toThrow();
  });
  it.each<[WindowLevelAttrs, RegExp]>([
    [{ center: 40, width: 0.5 }, /width 0.5 must be ≥ 1 for LINEAR \(DICOM PS3.3 C.11.2.1.2.1\)/],
    [{ center: 40, width: 0, function: 'LINEAR_EXACT' }, /width 0 must be > 0 for LINEAR_EXACT/],
    [{ center: 40, width: -3, function: 'SIGMOID' }, /width -3 must be > 0 for SIGMOID/],
    [{ center: 40, width: 80, function: 'GAMMA' as never }, /function "GAMMA" is not one of LINEAR, LINEAR_EXACT, SIGMOID/],
    [{ center: Number.NaN, width: 80 }, /center NaN must be a finite number/],
    [{ center: 40, width: 80, slope: 0 }, /slope 0 .* must be non-zero/],
  ])('rejects %o', (attrs, message) => {
    expect(() => windowLevel.outputs({ x }, attrs)).toThrow(ShapeError);
    expect(() => windowLevel.outputs({ x }, attrs)).toThrow(message);
  });
});
