import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { formatShape, resolveAxis, sizeOf } from '../../shape.js';

export type ColorConversion = 'rgb-to-gray' | 'gray-to-rgb';

export const COLOR_CONVERSIONS: readonly ColorConversion[] = ['rgb-to-gray', 'gray-to-rgb'];

export interface ColorAttrs {
  readonly conversion: ColorConversion;
  /** The channel axis: -3 (default) for CHW/NCHW, -1 for HWC. */
  readonly channelAxis?: number;
}

/** ITU-R BT.601 luma weights of R, G and B (what OpenCV and PIL use for RGB → gray). */
export const BT601_LUMA = [0.299, 0.587, 0.114] as const;

/** The channel axis of the input, its channel count, and the elements per channel step. */
export interface ColorLayout {
  readonly axis: number;
  readonly channels: number;
  readonly inner: number;
}

export function colorLayout(x: TensorSpec, { conversion, channelAxis = -3 }: ColorAttrs): ColorLayout {
  if (!COLOR_CONVERSIONS.includes(conversion)) {
    throw new ShapeError(`kernel "color": conversion "${conversion}" is not one of ${COLOR_CONVERSIONS.join(', ')}`);
  }
  const axis = resolveAxis(channelAxis, x.shape.length, `kernel "color": channelAxis of x ${formatShape(x.shape)}`);
  const channels = x.shape[axis]!;
  const accepted = conversion === 'rgb-to-gray' ? [3, 4] : [1];
  if (!accepted.includes(channels)) {
    throw new ShapeError(
      `kernel "color": ${conversion} needs ${accepted.join(' or ')} channel${conversion === 'gray-to-rgb' ? '' : 's'} on axis ${channelAxis}, but x ${formatShape(x.shape)} has ${channels}`,
    );
  }
  return { axis, channels, inner: sizeOf(x.shape.slice(axis + 1)) };
}

export function colorOutputs({ x }: Specs<'x'>, attrs: ColorAttrs): Specs<'out'> {
  const { axis } = colorLayout(x, attrs);
  const shape = [...x.shape];
  shape[axis] = attrs.conversion === 'rgb-to-gray' ? 1 : 3;
  return { out: { shape, dtype: 'f32' } };
}
