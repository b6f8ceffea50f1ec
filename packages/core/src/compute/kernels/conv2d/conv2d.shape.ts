import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { assertNchw, windowGeometry, type WindowAttrs, type WindowGeometry } from '../../kernels-shared/window-geometry.js';
import { formatShape, sameShape } from '../../shape.js';

/** ONNX Conv's attributes (kernel_shape comes from the weight): strides, pads, dilations, group. */
export interface Conv2dAttrs extends WindowAttrs {
  /** Channel groups (default 1); input and output channels must both divide by it. */
  readonly group?: number;
}

/** A convolution's window plus its channel grouping. */
export interface ConvGeometry extends WindowGeometry {
  readonly group: number;
  readonly outChannels: number;
  /** Input channels per group (the weight's second dimension). */
  readonly groupChannels: number;
  /** Output channels per group. */
  readonly groupOutChannels: number;
}

/**
 * The geometry of x [N, C, H, W] convolved with a weight [M, C/group, kH, kW] (ONNX's layout):
 * output [N, M, ⌊(H + pads − dilated kH)/sh⌋ + 1, …].
 */
export function convGeometry(kernel: string, x: TensorSpec, w: TensorSpec, attrs: Conv2dAttrs): ConvGeometry {
  const nchw = assertNchw(kernel, 'x', x);
  const [outChannels, groupChannels, kh, kw] = assertNchw(kernel, 'w', w);
  const group = attrs.group ?? 1;
  if (!Number.isInteger(group) || group < 1) throw new ShapeError(`kernel "${kernel}": group ${group} must be an integer ≥ 1`);
  if (groupChannels * group !== nchw[1] || outChannels % group !== 0) {
    throw new ShapeError(
      `kernel "${kernel}": w ${formatShape(w.shape)} with group ${group} needs x to have ${groupChannels * group} channels and ${outChannels} output channels divisible by ${group}; x is ${formatShape(x.shape)}`,
    );
  }
  return { ...windowGeometry(kernel, nchw, [kh, kw], attrs), group, outChannels, groupChannels, groupOutChannels: outChannels / group };
}

export function convOutputShape(g: ConvGeometry): readonly number[] {
  return [g.batch, g.outChannels, g.outHeight, g.outWidth];
}

export function assertBias(kernel: string, b: TensorSpec, g: ConvGeometry): void {
  if (b.shape.length !== 1 || b.shape[0] !== g.outChannels) throw new ShapeError(`kernel "${kernel}": b ${formatShape(b.shape)} must be [${g.outChannels}], one per output channel`);
}

export function assertOutputGradient(kernel: string, dy: TensorSpec, g: ConvGeometry): void {
  const want = convOutputShape(g);
  if (!sameShape(dy.shape, want)) throw new ShapeError(`kernel "${kernel}": dy ${formatShape(dy.shape)} must be the convolution's output shape ${formatShape(want)}`);
}

export function conv2dOutputs({ x, w, b }: Specs<'x' | 'w' | 'b'>, attrs: Conv2dAttrs): Specs<'out'> {
  const g = convGeometry('conv2d', x, w, attrs);
  assertBias('conv2d', b, g);
  return { out: { shape: convOutputShape(g), dtype: 'f32' } };
}

/** Uniforms of the three convolution shaders: the window plus the grouping. */
export const CONV_GROUP_UNIFORMS = { group_channels: 'u32', group_out_channels: 'u32', out_channels: 'u32' } as const;

export function convGroupUniformValues(g: ConvGeometry): Record<keyof typeof CONV_GROUP_UNIFORMS, number> {
  return { group_channels: g.groupChannels, group_out_channels: g.groupOutChannels, out_channels: g.outChannels };
}
