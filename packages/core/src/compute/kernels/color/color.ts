import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
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

/**
 * Color-space conversion along the channel axis, any pixel dtype in, f32 out.
 * rgb-to-gray: BT.601 luma 0.299 R + 0.587 G + 0.114 B (3 or 4 channels, alpha ignored) → 1 channel.
 * gray-to-rgb: the one channel repeated three times.
 */
export const color: KernelDef<'x', 'out', ColorAttrs> = {
  name: 'color',
  description: 'rgb-to-gray (BT.601 luma, alpha ignored) or gray-to-rgb along the channel axis, any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: ({ x }, attrs) => {
    const { axis } = colorLayout(x, attrs);
    const shape = [...x.shape];
    shape[axis] = attrs.conversion === 'rgb-to-gray' ? 1 : 3;
    return { out: { shape, dtype: 'f32' } };
  },
  // Plain loops in float64, one rounding to f32 per output.
  cpu: ({ x }, attrs, { out }) => {
    const { channels, inner } = colorLayout(x, attrs);
    const outer = x.data.length / (channels * inner);
    const [wr, wg, wb] = BT601_LUMA;
    for (let o = 0; o < outer; o++) {
      for (let n = 0; n < inner; n++) {
        if (attrs.conversion === 'rgb-to-gray') {
          const base = o * channels * inner + n;
          out[o * inner + n] = wr * x.data[base]! + wg * x.data[base + inner]! + wb * x.data[base + 2 * inner]!;
        } else {
          const v = x.data[o * inner + n]!;
          for (let c = 0; c < 3; c++) out[(o * 3 + c) * inner + n] = v;
        }
      }
    }
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ conversion }) => conversion,
    uniforms: { channels: 'u32', inner: 'u32' },
    uniformValues: ({ x }, attrs) => {
      const { channels, inner } = colorLayout(x, attrs);
      return { channels, inner };
    },
    launch: (_inputs, _attrs, { out }) => ({ kind: 'elementwise', invocations: sizeOf(out.shape) }),
    body: ({ attrs: { conversion } }) =>
      conversion === 'rgb-to-gray'
        ? `
  let n = i % params.inner;
  let base = (i / params.inner) * params.channels * params.inner + n;
  out[i] = ${BT601_LUMA[0]} * load_x(base) + ${BT601_LUMA[1]} * load_x(base + params.inner) + ${BT601_LUMA[2]} * load_x(base + 2u * params.inner);`
        : `
  out[i] = load_x((i / (3u * params.inner)) * params.inner + i % params.inner);`,
  },
  // Non-negative channels: ≤ 4 roundings of 2⁻²⁴ (~2.4e-7; gray-to-rgb is exact). Signed channels of opposite signs
  // would cancel, leaving an absolute error of ~1e-7 of their magnitude.
  tolerance: 5e-7,
};
