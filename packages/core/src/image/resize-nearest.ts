import { allocate } from '../compute/dtype.js';
import type { CoordinateTransform } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { originalCoordinate } from '../compute/kernels/resize-bilinear/resize-bilinear.cpu.js';
import { formatShape } from '../compute/shape.js';
import { Tensor } from '../compute/tensor.js';
import { ShapeError } from '../errors.js';
import type { ImageDType } from './image-tensor.js';

/** The input index each output index copies along one axis: ONNX Resize mode=nearest, nearest_mode=round_prefer_floor (its default). */
function nearestIndices(mode: CoordinateTransform, inSize: number, outSize: number): Int32Array {
  const indices = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const x = originalCoordinate(mode, o, inSize, outSize);
    const rounded = x - Math.floor(x) === 0.5 ? Math.floor(x) : Math.round(x);
    indices[o] = Math.min(Math.max(rounded, 0), inSize - 1);
  }
  return indices;
}

/**
 * Nearest-neighbour resize of a planar CPU tensor [..., H, W], with exactly ONNX Resize's
 * mode=nearest semantics (so an exported graph resizes the same way). A pure gather: the dtype is
 * kept and no value changes, which is what label masks need.
 */
export function resizeNearest<D extends ImageDType>(
  x: Tensor<D>,
  { height, width, coordinateTransform = 'half_pixel' }: { height: number; width: number; coordinateTransform?: CoordinateTransform },
): Tensor<D> {
  if (x.shape.length < 2) throw new ShapeError(`resizeNearest: x ${formatShape(x.shape)} must have rank ≥ 2 ([..., H, W])`);
  for (const [what, value] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ShapeError(`resizeNearest: ${what} ${value} must be a positive integer`);
  }
  const inHeight = x.shape[x.shape.length - 2]!;
  const inWidth = x.shape[x.shape.length - 1]!;
  const rows = nearestIndices(coordinateTransform, inHeight, height);
  const cols = nearestIndices(coordinateTransform, inWidth, width);
  const planes = x.size / (inHeight * inWidth);
  const src = x.data;
  const out = allocate(x.dtype, planes * height * width);
  let k = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inHeight * inWidth;
    for (let r = 0; r < height; r++) {
      const row = base + rows[r]! * inWidth;
      for (let c = 0; c < width; c++) out[k++] = src[row + cols[c]!]!;
    }
  }
  return Tensor.cpu(x.dtype, [...x.shape.slice(0, -2), height, width], out);
}
