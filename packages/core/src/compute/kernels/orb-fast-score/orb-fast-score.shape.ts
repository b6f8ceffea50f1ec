import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** The Bresenham circle of radius 3 (16 pixels) FAST tests, clockwise from the top, as [dx, dy]. */
export const FAST_CIRCLE: readonly (readonly [number, number])[] = [
  [0, -3], [1, -3], [2, -2], [3, -1], [3, 0], [3, 1], [2, 2], [1, 3],
  [0, 3], [-1, 3], [-2, 2], [-3, 1], [-3, 0], [-3, -1], [-2, -2], [-1, -3],
];
/** Contiguous circle pixels FAST-9 asks for. */
export const FAST_ARC = 9;

/** Images [H, W] or [N, H, W] → one score per pixel, same shape. */
export function orbFastScoreOutputs({ x }: Specs<'x'>): Specs<'out'> {
  if (x.shape.length !== 2 && x.shape.length !== 3) throw new ShapeError(`kernel "orb-fast-score": x ${formatShape(x.shape)} must be images [H, W] or [N, H, W]`);
  return { out: { shape: x.shape, dtype: 'f32' } };
}

/** Height and width of x's images. */
export function imageSize(shape: readonly number[]): { height: number; width: number } {
  return { height: shape[shape.length - 2]!, width: shape[shape.length - 1]! };
}
