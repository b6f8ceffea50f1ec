import { ShapeError } from '../../errors.js';
import type { TensorSpec } from '../kernel.js';
import { formatShape, sizeOf } from '../shape.js';

/**
 * Kernels that reduce over every axis but the channel axis 1 of [N, C, ...] (batch normalisation):
 * one workgroup of PER_CHANNEL_WORKGROUP invocations per channel, each summing a strided share of
 * the channel's N·(spatial) elements, then a tree sum in workgroup memory.
 */
export const PER_CHANNEL_WORKGROUP = 256;

export interface ChannelGeometry {
  readonly batch: number;
  readonly channels: number;
  /** Elements per channel per batch entry (H·W for images, 1 for [N, C]). */
  readonly inner: number;
}

export function channelGeometry(kernel: string, x: TensorSpec): ChannelGeometry {
  if (x.shape.length < 2) throw new ShapeError(`kernel "${kernel}": x ${formatShape(x.shape)} must be [N, C, ...] with channels on axis 1`);
  return { batch: x.shape[0]!, channels: x.shape[1]!, inner: sizeOf(x.shape.slice(2)) };
}

export function assertPerChannel(kernel: string, name: string, spec: TensorSpec, channels: number): void {
  if (spec.shape.length !== 1 || spec.shape[0] !== channels) throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(spec.shape)} must be [${channels}], one per channel`);
}

/** A [2, C] pair of per-channel rows (a mean and a variance, or a mean and 1/σ). */
export function assertChannelPair(kernel: string, name: string, spec: TensorSpec, channels: number): void {
  if (spec.shape.length !== 2 || spec.shape[0] !== 2 || spec.shape[1] !== channels) throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(spec.shape)} must be [2, ${channels}]: means, then variances (or 1/σ)`);
}

/** Element j (0 ≤ j < N·inner) of channel c, the channel sum of a workgroup, and the uniforms they read. */
export const PER_CHANNEL_WGSL = `
var<workgroup> partial: array<f32, ${PER_CHANNEL_WORKGROUP}>;
fn element(c: u32, j: u32) -> u32 { return (j / params.inner) * params.channels * params.inner + c * params.inner + j % params.inner; }
fn workgroup_sum(value: f32, lindex: u32) -> f32 {
  partial[lindex] = value;
  workgroupBarrier();
  for (var s = ${PER_CHANNEL_WORKGROUP / 2}u; s > 0u; s >>= 1u) {
    if (lindex < s) { partial[lindex] += partial[lindex + s]; }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}`;

export const PER_CHANNEL_UNIFORMS = { channels: 'u32', inner: 'u32', count: 'u32' } as const;

export function perChannelUniformValues(g: ChannelGeometry): Record<keyof typeof PER_CHANNEL_UNIFORMS, number> {
  return { channels: g.channels, inner: g.inner, count: g.batch * g.inner };
}
