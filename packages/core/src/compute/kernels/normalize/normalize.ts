import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
import { formatShape, resolveAxis, sizeOf } from '../../shape.js';

export interface NormalizeAttrs {
  /** Per-channel means (after `scale`), or one value for every channel. */
  readonly mean: readonly number[];
  /** Per-channel standard deviations, or one value for every channel; none may be 0. */
  readonly std: readonly number[];
  /** Applied before the mean is subtracted, e.g. 1/255 for 8-bit pixels (default 1). */
  readonly scale?: number;
  /** The channel axis: -3 (default) for CHW/NCHW, -1 for HWC. Only read when a mean or std has several values. */
  readonly channelAxis?: number;
}

/** Per-channel values fit one `vec4f` uniform: RGB, RGBA and gray images. */
export const NORMALIZE_MAX_CHANNELS = 4;

/** How the data is laid out around the channel axis: `channels` = 1 when one mean/std serves all. */
export interface NormalizeLayout {
  readonly channels: number;
  /** Elements per channel step (the product of the axes after the channel axis). */
  readonly inner: number;
}

function list(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}

export function normalizeLayout(x: TensorSpec, { mean, std, scale = 1, channelAxis = -3 }: NormalizeAttrs): NormalizeLayout {
  const fail = (message: string) => new ShapeError(`kernel "normalize": ${message}`);
  for (const [what, values] of [['mean', mean], ['std', std]] as const) {
    if (values.length === 0) throw fail(`${what} is empty; give one value per channel, or one for all`);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw fail(`${what}[${bad}] is ${values[bad]}; values must be finite (${what} = ${list(values)})`);
  }
  const zero = std.indexOf(0);
  if (zero >= 0) throw fail(`std[${zero}] is 0; every std must be non-zero (std = ${list(std)})`);
  if (!Number.isFinite(scale) || scale === 0) throw fail(`scale ${scale} must be finite and non-zero`);
  if (mean.length === 1 && std.length === 1) return { channels: 1, inner: 1 };

  const axis = resolveAxis(channelAxis, x.shape.length, `kernel "normalize": channelAxis of x ${formatShape(x.shape)}`);
  const channels = x.shape[axis]!;
  if (channels > NORMALIZE_MAX_CHANNELS) {
    throw fail(`x ${formatShape(x.shape)} has ${channels} channels on axis ${channelAxis}; per-channel mean/std support at most ${NORMALIZE_MAX_CHANNELS}`);
  }
  for (const [what, values] of [['mean', mean], ['std', std]] as const) {
    if (values.length !== 1 && values.length !== channels) {
      throw fail(`${what} ${list(values)} has ${values.length} values but x ${formatShape(x.shape)} has ${channels} channels on axis ${channelAxis}; give 1 or ${channels}`);
    }
  }
  return { channels, inner: sizeOf(x.shape.slice(axis + 1)) };
}

/** A length-1 list stands for every channel. */
function perChannel(values: readonly number[], channels: number): number[] {
  return Array.from({ length: channels }, (_, c) => values[values.length === 1 ? 0 : c]!);
}

/**
 * Per-channel standardization out = (x·scale − mean[c]) / std[c], any pixel dtype in, f32 out
 * (e.g. ImageNet statistics on 8-bit RGB with scale 1/255).
 */
export const normalize: KernelDef<'x', 'out', NormalizeAttrs> = {
  name: 'normalize',
  description: 'out = (x * scale - mean[c]) / std[c] per channel (up to 4), any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: ({ x }, attrs) => {
    normalizeLayout(x, attrs);
    return { out: { shape: x.shape, dtype: 'f32' } };
  },
  // Plain loops in float64, one rounding to f32 per output.
  cpu: ({ x }, attrs, { out }) => {
    const { channels, inner } = normalizeLayout(x, attrs);
    const mean = perChannel(attrs.mean, channels);
    const std = perChannel(attrs.std, channels);
    const scale = attrs.scale ?? 1;
    for (let i = 0; i < out.length; i++) {
      const c = Math.floor(i / inner) % channels;
      out[i] = (x.data[i]! * scale - mean[c]!) / std[c]!;
    }
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { origin_hi: 'vec4f', origin_lo: 'vec4f', gain: 'vec4f', inner: 'u32', channels: 'u32' },
    uniformValues: ({ x }, attrs) => {
      const { channels, inner } = normalizeLayout(x, attrs);
      const scale = attrs.scale ?? 1;
      const mean = perChannel(attrs.mean, channels);
      const std = perChannel(attrs.std, channels);
      // (x·scale − mean)/std = (x − mean/scale)·(scale/std). The origin mean/scale is split into
      // two f32s (hi + lo) and subtracted first, so values near the mean do not cancel.
      const origin = mean.map((m) => m / scale);
      const originHi = origin.map(Math.fround);
      return { origin_hi: originHi, origin_lo: origin.map((o, c) => o - originHi[c]!), gain: std.map((s) => scale / s), inner, channels };
    },
    launch: ({ x }) => ({ kind: 'elementwise', invocations: sizeOf(x.shape) }),
    body: () => `
  let c = (i / params.inner) % params.channels;
  out[i] = ((load_x(i) - params.origin_hi[c]) - params.origin_lo[c]) * params.gain[c];`,
  },
  // A few roundings of 2⁻²⁴ relative to the output, whatever the mean, std or scale
  // (worst seen 2.1e-7 over 50 seeds).
  tolerance: 5e-7,
};
