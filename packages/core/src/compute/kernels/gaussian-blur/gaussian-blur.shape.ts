import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

export interface GaussianBlurAttrs {
  /** Standard deviation of the Gaussian in pixels (> 0). */
  readonly sigma: number;
  /** The axis blurred: along each row (`x`) or down each column (`y`); a 2-D blur is one pass of each. */
  readonly axis: 'x' | 'y';
}

/** Images [H, W] or [N, H, W] → the same shape, blurred along one axis. */
export function gaussianBlurOutputs({ x }: Specs<'x'>, { sigma, axis }: GaussianBlurAttrs): Specs<'out'> {
  if (x.shape.length !== 2 && x.shape.length !== 3) throw new ShapeError(`kernel "gaussian-blur": x ${formatShape(x.shape)} must be images [H, W] or [N, H, W]`);
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new ShapeError(`kernel "gaussian-blur": sigma ${sigma} must be a finite number > 0`);
  if (axis !== 'x' && axis !== 'y') throw new ShapeError(`kernel "gaussian-blur": axis "${String(axis)}" is not one of x, y`);
  return { out: { shape: x.shape, dtype: 'f32' } };
}

/**
 * Half-width of the kernel: OpenCV's size for float images, round(8σ + 1) made odd, so the
 * pyramid blurs as cv2.GaussianBlur(ksize = 0) does.
 */
export function gaussianRadius(sigma: number): number {
  return ((Math.round(sigma * 8 + 1) | 1) - 1) / 2;
}

/** Height and width of x's images. */
export function imageSize(shape: readonly number[]): { height: number; width: number } {
  return { height: shape[shape.length - 2]!, width: shape[shape.length - 1]! };
}
