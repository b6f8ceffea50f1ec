import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { assertNchw } from '../../kernels-shared/window-geometry.js';
import { assertOutputGradient, convGeometry, type Conv2dAttrs, type ConvGeometry } from '../conv2d/conv2d.shape.js';

export interface Conv2dBackwardWeightAttrs extends Conv2dAttrs {
  /** The weight's [kH, kW] (ONNX's kernel_shape). */
  readonly kernelShape: readonly [number, number];
}

export function convBackwardWeightGeometry(x: TensorSpec, dy: TensorSpec, attrs: Conv2dBackwardWeightAttrs): ConvGeometry {
  const kernel = 'conv2d-backward-weight';
  const [, channels] = assertNchw(kernel, 'x', x);
  const [, outChannels] = assertNchw(kernel, 'dy', dy);
  const group = attrs.group ?? 1;
  const { kernelShape } = attrs;
  if (!Array.isArray(kernelShape) || kernelShape.length !== 2) throw new ShapeError(`kernel "${kernel}": kernelShape ${JSON.stringify(kernelShape)} must be the weight's [kH, kW]`);
  const w = { shape: [outChannels, channels / group, kernelShape[0], kernelShape[1]], dtype: 'f32' as const };
  if (!Number.isInteger(channels / group)) throw new ShapeError(`kernel "${kernel}": x's ${channels} channels do not divide into ${group} groups`);
  const g = convGeometry(kernel, x, w, attrs);
  assertOutputGradient(kernel, dy, g);
  return g;
}

export function conv2dBackwardWeightOutputs({ x, dy }: Specs<'x' | 'dy'>, attrs: Conv2dBackwardWeightAttrs): Specs<'dw'> {
  const g = convBackwardWeightGeometry(x, dy, attrs);
  return { dw: { shape: [g.outChannels, g.groupChannels, g.kernelHeight, g.kernelWidth], dtype: 'f32' } };
}
