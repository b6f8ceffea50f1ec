import type { KernelDef } from '../../kernel.js';
import { windowLevelCpu } from './window-level.cpu.js';
import { windowLevelOutputs, type WindowLevelAttrs } from './window-level.shape.js';
import { windowLevelWgsl } from './window-level.wgsl.js';

export { VOI_LUT_FUNCTIONS, type VoiLutFunction, type WindowLevelAttrs } from './window-level.shape.js';

/**
 * The DICOM grayscale pipeline from stored pixel values to display values in [0, 1]: the Modality
 * LUT rescale (x·slope + intercept), then the VOI LUT function (PS3.3 C.11.2.1.2) with ymin 0 and
 * ymax 1, optionally inverted for MONOCHROME1. Any stored dtype in, f32 out.
 */
export const windowLevel: KernelDef<'x', 'out', WindowLevelAttrs> = {
  name: 'window-level',
  description: 'DICOM rescale + VOI LUT (LINEAR, LINEAR_EXACT, SIGMOID) to [0, 1], optional MONOCHROME1 inversion',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: windowLevelOutputs,
  cpu: ({ x }, attrs, { out }) => windowLevelCpu(x.data, attrs, out as Float32Array),
  wgsl: windowLevelWgsl,
  // The GPU subtracts the window origin before rescaling (see window-level.wgsl.ts), so y carries a
  // few roundings of 2⁻²⁴ whatever the slope or the window's distance from 0: worst seen 1.3e-7
  // (50 seeds: CT, MR with inexact slopes, narrow float windows, SIGMOID).
  tolerance: 5e-7,
};
