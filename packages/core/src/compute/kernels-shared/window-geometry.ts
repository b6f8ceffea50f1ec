import { ShapeError } from '../../errors.js';
import type { TensorSpec, UniformType } from '../kernel.js';
import { formatShape } from '../shape.js';

/**
 * The sliding-window arithmetic shared by conv2d and the pooling kernels, with ONNX's attribute
 * names and meanings: `strides` [sh, sw], `pads` [top, left, bottom, right] (ONNX's
 * [x1_begin, x2_begin, x1_end, x2_end]), `dilations` [dh, dw]. Output sizes round down
 * (ONNX's ceil_mode 0): out = ⌊(in + begin + end − (d·(k − 1) + 1)) / s⌋ + 1.
 */
export interface WindowAttrs {
  /** Default [1, 1]. */
  readonly strides?: readonly [number, number];
  /** Default [0, 0, 0, 0]. */
  readonly pads?: readonly [number, number, number, number];
  /** Default [1, 1]. */
  readonly dilations?: readonly [number, number];
}

/** One 2-D window over an NCHW input: sizes in and out, kernel, stride, padding and dilation. */
export interface WindowGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strideY: number;
  readonly strideX: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationY: number;
  readonly dilationX: number;
}

function positiveIntegers(kernel: string, name: string, values: readonly number[], length: number, min: number): void {
  if (values.length !== length || !values.every((v) => Number.isInteger(v) && v >= min)) {
    throw new ShapeError(`kernel "${kernel}": ${name} [${values.join(', ')}] must be ${length} integers ≥ ${min}`);
  }
}

/** Checks an NCHW input. */
export function assertNchw(kernel: string, name: string, spec: TensorSpec): readonly [number, number, number, number] {
  if (spec.shape.length !== 4) throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(spec.shape)} must be NCHW [batch, channels, height, width]`);
  return spec.shape as unknown as readonly [number, number, number, number];
}

/** The window of a kernel of `kernelShape` over an input of [batch, channels, height, width]. */
export function windowGeometry(
  kernel: string,
  [batch, channels, height, width]: readonly [number, number, number, number],
  kernelShape: readonly [number, number],
  { strides = [1, 1], pads = [0, 0, 0, 0], dilations = [1, 1] }: WindowAttrs,
): WindowGeometry {
  positiveIntegers(kernel, 'kernel shape', kernelShape, 2, 1);
  positiveIntegers(kernel, 'strides', strides, 2, 1);
  positiveIntegers(kernel, 'pads', pads, 4, 0);
  positiveIntegers(kernel, 'dilations', dilations, 2, 1);
  const [kernelHeight, kernelWidth] = kernelShape;
  const spanY = dilations[0] * (kernelHeight - 1) + 1;
  const spanX = dilations[1] * (kernelWidth - 1) + 1;
  const paddedHeight = height + pads[0] + pads[2];
  const paddedWidth = width + pads[1] + pads[3];
  if (spanY > paddedHeight || spanX > paddedWidth) {
    throw new ShapeError(`kernel "${kernel}": a ${spanY}×${spanX} window (kernel ${kernelHeight}×${kernelWidth}, dilations [${dilations.join(', ')}]) does not fit the padded input ${paddedHeight}×${paddedWidth}`);
  }
  return {
    batch,
    channels,
    height,
    width,
    kernelHeight,
    kernelWidth,
    outHeight: Math.floor((paddedHeight - spanY) / strides[0]) + 1,
    outWidth: Math.floor((paddedWidth - spanX) / strides[1]) + 1,
    strideY: strides[0],
    strideX: strides[1],
    padTop: pads[0],
    padLeft: pads[1],
    dilationY: dilations[0],
    dilationX: dilations[1],
  };
}

/** The uniforms every windowed shader reads (`params.height`, `params.kernel_h`, ...). */
export const WINDOW_UNIFORMS = {
  batch: 'u32',
  channels: 'u32',
  height: 'u32',
  width: 'u32',
  kernel_h: 'u32',
  kernel_w: 'u32',
  out_h: 'u32',
  out_w: 'u32',
  stride_y: 'u32',
  stride_x: 'u32',
  pad_top: 'u32',
  pad_left: 'u32',
  dilation_y: 'u32',
  dilation_x: 'u32',
} as const satisfies Record<string, UniformType>;

export function windowUniformValues(g: WindowGeometry): Record<keyof typeof WINDOW_UNIFORMS, number> {
  return {
    batch: g.batch,
    channels: g.channels,
    height: g.height,
    width: g.width,
    kernel_h: g.kernelHeight,
    kernel_w: g.kernelWidth,
    out_h: g.outHeight,
    out_w: g.outWidth,
    stride_y: g.strideY,
    stride_x: g.strideX,
    pad_top: g.padTop,
    pad_left: g.padLeft,
    dilation_y: g.dilationY,
    dilation_x: g.dilationX,
  };
}

/**
 * WGSL: `input_row(oy, ky)` / `input_col(ox, kx)` give the input coordinate a window tap reads
 * (negative or ≥ size in the padding), and `output_row(iy, ky)` / `output_col(ix, kx)` the output
 * whose tap ky reads input row iy, or −1 where none does (between strides, or outside).
 */
export const WINDOW_WGSL = `
fn input_row(oy: u32, ky: u32) -> i32 { return i32(oy * params.stride_y + ky * params.dilation_y) - i32(params.pad_top); }
fn input_col(ox: u32, kx: u32) -> i32 { return i32(ox * params.stride_x + kx * params.dilation_x) - i32(params.pad_left); }
fn output_row(iy: u32, ky: u32) -> i32 {
  let t = i32(iy + params.pad_top) - i32(ky * params.dilation_y);
  if (t < 0 || t % i32(params.stride_y) != 0) { return -1; }
  let oy = t / i32(params.stride_y);
  return select(-1, oy, oy < i32(params.out_h));
}
fn output_col(ix: u32, kx: u32) -> i32 {
  let t = i32(ix + params.pad_left) - i32(kx * params.dilation_x);
  if (t < 0 || t % i32(params.stride_x) != 0) { return -1; }
  let ox = t / i32(params.stride_x);
  return select(-1, ox, ox < i32(params.out_w));
}
fn inside(y: i32, x: i32) -> bool { return y >= 0 && y < i32(params.height) && x >= 0 && x < i32(params.width); }`;

/** The same as WINDOW_WGSL's functions, for the CPU references. */
export function outputIndex(i: number, pad: number, k: number, dilation: number, stride: number, outSize: number): number {
  const t = i + pad - k * dilation;
  if (t < 0 || t % stride !== 0) return -1;
  const o = t / stride;
  return o < outSize ? o : -1;
}

/** Attributes of the pooling kernels (ONNX MaxPool / AveragePool with ceil_mode 0). */
export interface PoolAttrs extends WindowAttrs {
  /** The window's [kH, kW]. */
  readonly kernelShape: readonly [number, number];
}

/** A pooling backward kernel's attributes: the forward's, plus its input's [height, width]. */
export interface PoolBackwardAttrs extends PoolAttrs {
  readonly inputSize: readonly [number, number];
}

export function poolGeometry(kernel: string, x: TensorSpec, attrs: PoolAttrs): WindowGeometry {
  return windowGeometry(kernel, assertNchw(kernel, 'x', x), attrs.kernelShape, attrs);
}

/** The forward window of a pooling gradient dy [N, C, OH, OW], checked against the input size. */
export function poolBackwardGeometry(kernel: string, dy: TensorSpec, attrs: PoolBackwardAttrs): WindowGeometry {
  const [batch, channels, outHeight, outWidth] = assertNchw(kernel, 'dy', dy);
  const { inputSize } = attrs;
  if (!Array.isArray(inputSize) || inputSize.length !== 2 || !inputSize.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(`kernel "${kernel}": inputSize ${JSON.stringify(inputSize)} must be the forward input's [height, width]`);
  }
  const g = windowGeometry(kernel, [batch, channels, inputSize[0], inputSize[1]], attrs.kernelShape, attrs);
  if (g.outHeight !== outHeight || g.outWidth !== outWidth) {
    throw new ShapeError(`kernel "${kernel}": dy ${formatShape(dy.shape)} is not the output of a ${inputSize[0]}×${inputSize[1]} input, which is ${g.outHeight}×${g.outWidth}`);
  }
  return g;
}
