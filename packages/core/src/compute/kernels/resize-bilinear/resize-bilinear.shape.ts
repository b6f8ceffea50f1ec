import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

/** ONNX Resize's `coordinate_transformation_mode`s: how an output pixel maps back onto the input. */
export type CoordinateTransform = 'half_pixel' | 'align_corners' | 'asymmetric' | 'pytorch_half_pixel';

export const COORDINATE_TRANSFORMS: readonly CoordinateTransform[] = ['half_pixel', 'align_corners', 'asymmetric', 'pytorch_half_pixel'];

export interface ResizeBilinearAttrs {
  /** Output height (the second-to-last axis). */
  readonly height: number;
  /** Output width (the last axis). */
  readonly width: number;
  /** Default 'half_pixel' (ONNX's default, and what OpenCV and PIL do). */
  readonly coordinateTransform?: CoordinateTransform;
}

/**
 * Largest input or output height/width. The GPU maps coordinates with exact 32-bit integer
 * arithmetic, where (out − 1)·2·in must stay below 2³¹; no WebGPU buffer holds a larger plane anyway.
 */
export const RESIZE_MAX_SIZE = 32768;

function checkSize(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > RESIZE_MAX_SIZE) {
    throw new ShapeError(`kernel "resize-bilinear": ${what} ${value} must be an integer in [1, ${RESIZE_MAX_SIZE}]`);
  }
}

export function resizeBilinearOutputs({ x }: Specs<'x'>, { height, width, coordinateTransform = 'half_pixel' }: ResizeBilinearAttrs): Specs<'out'> {
  if (x.shape.length < 2) throw new ShapeError(`kernel "resize-bilinear": x ${formatShape(x.shape)} must have rank ≥ 2 ([..., H, W])`);
  if (!COORDINATE_TRANSFORMS.includes(coordinateTransform)) {
    throw new ShapeError(`kernel "resize-bilinear": coordinateTransform "${coordinateTransform}" is not one of ${COORDINATE_TRANSFORMS.join(', ')}`);
  }
  const [inHeight, inWidth] = x.shape.slice(-2) as [number, number];
  checkSize(`input height of x ${formatShape(x.shape)}:`, inHeight);
  checkSize(`input width of x ${formatShape(x.shape)}:`, inWidth);
  checkSize('height', height);
  checkSize('width', width);
  return { out: { shape: [...x.shape.slice(0, -2), height, width], dtype: 'f32' } };
}
