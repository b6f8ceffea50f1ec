import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
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

export function normalizeOutputs({ x }: Specs<'x'>, attrs: NormalizeAttrs): Specs<'out'> {
  normalizeLayout(x, attrs);
  return { out: { shape: x.shape, dtype: 'f32' } };
}

/** A length-1 list stands for every channel. */
export function perChannel(values: readonly number[], channels: number): number[] {
  return Array.from({ length: channels }, (_, c) => values[values.length === 1 ? 0 : c]!);
}
