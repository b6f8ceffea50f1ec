import type { Specs } from '../../kernel.js';
import { formatShape, sameShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

export interface SiftExtremaAttrs {
  /** A candidate's |DoG| must exceed this (OpenCV: ⌊0.5 · contrastThreshold / layers · 255⌋). */
  readonly threshold: number;
  /** Pixels closer than this to the image's edge are never candidates (OpenCV's SIFT_IMG_BORDER, 5). */
  readonly border: number;
}

/** Three DoG levels [H, W] or [N, H, W] of one shape → a mark per pixel of the middle one. */
export function siftExtremaOutputs({ below, centre, above }: Specs<'below' | 'centre' | 'above'>, { threshold, border }: SiftExtremaAttrs): Specs<'out'> {
  if (centre.shape.length !== 2 && centre.shape.length !== 3) throw new ShapeError(`kernel "sift-extrema": centre ${formatShape(centre.shape)} must be images [H, W] or [N, H, W]`);
  for (const [name, spec] of [['below', below], ['above', above]] as const) {
    if (!sameShape(spec.shape, centre.shape)) throw new ShapeError(`kernel "sift-extrema": ${name} ${formatShape(spec.shape)} must have centre's shape ${formatShape(centre.shape)}`);
  }
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new ShapeError(`kernel "sift-extrema": threshold ${threshold} must be a finite number ≥ 0`);
  if (!(Number.isInteger(border) && border >= 1)) throw new ShapeError(`kernel "sift-extrema": border ${border} must be an integer ≥ 1`);
  return { out: { shape: centre.shape, dtype: 'f32' } };
}

/** Height and width of the images. */
export function imageSize(shape: readonly number[]): { height: number; width: number } {
  return { height: shape[shape.length - 2]!, width: shape[shape.length - 1]! };
}
