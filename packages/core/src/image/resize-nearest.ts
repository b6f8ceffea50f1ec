import type { Device } from '../compute/device.js';
import { allocate } from '../compute/dtype.js';
import type { CoordinateTransform } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { nearestIndices } from '../compute/kernels/resize-nearest/nearest-indices.js';
import { resizeNearestKernel } from '../compute/kernels/resize-nearest/resize-nearest.js';
import { formatShape } from '../compute/shape.js';
import { Tensor } from '../compute/tensor.js';
import { ShapeError } from '../errors.js';
import type { ImageDType } from './image-tensor.js';

export interface ResizeNearestOptions {
  readonly height: number;
  readonly width: number;
  readonly coordinateTransform?: CoordinateTransform;
}

/** The source row and column tables of a [..., H, W] → [..., height, width] nearest resize. */
function indexTables(x: Tensor, { height, width, coordinateTransform = 'half_pixel' }: ResizeNearestOptions): { rows: Int32Array; cols: Int32Array } {
  if (x.shape.length < 2) throw new ShapeError(`resizeNearest: x ${formatShape(x.shape)} must have rank ≥ 2 ([..., H, W])`);
  for (const [what, value] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ShapeError(`resizeNearest: ${what} ${value} must be a positive integer`);
  }
  const inHeight = x.shape[x.shape.length - 2]!;
  const inWidth = x.shape[x.shape.length - 1]!;
  return { rows: nearestIndices(coordinateTransform, inHeight, height), cols: nearestIndices(coordinateTransform, inWidth, width) };
}

/**
 * Nearest-neighbour resize of a planar CPU tensor [..., H, W], with exactly ONNX Resize's
 * mode=nearest semantics, source pixel for source pixel as ONNX Runtime picks them (so an exported
 * graph resizes the same way). A pure gather: the dtype is kept and no value changes, which is
 * what label masks need.
 */
export function resizeNearest<D extends ImageDType>(x: Tensor<D>, options: ResizeNearestOptions): Tensor<D> {
  const { rows, cols } = indexTables(x, options);
  const { height, width } = options;
  const inHeight = x.shape[x.shape.length - 2]!;
  const inWidth = x.shape[x.shape.length - 1]!;
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

/**
 * `resizeNearest` on the Device, for images already there: the same source pixels (the same index
 * tables), gathered by the resize-nearest kernel. f32 out.
 */
export async function resizeNearestOnDevice(device: Device, x: Tensor, options: ResizeNearestOptions): Promise<Tensor<'f32'>> {
  const { rows, cols } = indexTables(x, options);
  const { out } = await device.run(resizeNearestKernel, { x, rows: Tensor.fromArray(rows), cols: Tensor.fromArray(cols) }, {});
  return out as Tensor<'f32'>;
}
