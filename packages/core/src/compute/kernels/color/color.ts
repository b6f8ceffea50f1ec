import type { KernelDef } from '../../kernel.js';
import { colorCpu } from './color.cpu.js';
import { colorOutputs, type ColorAttrs } from './color.shape.js';
import { colorWgsl } from './color.wgsl.js';

export { BT601_LUMA, type ColorAttrs, type ColorConversion } from './color.shape.js';

/**
 * Color-space conversion along the channel axis, any pixel dtype in, f32 out.
 * rgb-to-gray: BT.601 luma 0.299 R + 0.587 G + 0.114 B (3 or 4 channels, alpha ignored) → 1 channel.
 * gray-to-rgb: the one channel repeated three times.
 */
export const color: KernelDef<'x', 'out', ColorAttrs> = {
  name: 'color',
  description: 'rgb-to-gray (BT.601 luma, alpha ignored) or gray-to-rgb along the channel axis, any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: colorOutputs,
  cpu: colorCpu,
  wgsl: colorWgsl,
  // Non-negative channels: ≤ 4 roundings of 2⁻²⁴ (~2.4e-7; gray-to-rgb is exact). Signed channels of opposite signs
  // would cancel, leaving an absolute error of ~1e-7 of their magnitude.
  tolerance: 5e-7,
};
