import type { TypedArray } from '../../dtype.js';
import type { VoiLutFunction, WindowLevelAttrs } from './window-level.shape.js';

/**
 * The VOI LUT functions of DICOM PS3.3 C.11.2.1.2 with ymin = 0 and ymax = 1, so the standard's
 * `· (ymax − ymin) + ymin` drops out. `x` is the Modality LUT output (rescaled value).
 */
export function voiLut(fn: VoiLutFunction, x: number, c: number, w: number): number {
  switch (fn) {
    case 'LINEAR': // C.11.2.1.2.1
      if (x <= c - 0.5 - (w - 1) / 2) return 0;
      if (x > c - 0.5 + (w - 1) / 2) return 1;
      return (x - (c - 0.5)) / (w - 1) + 0.5;
    case 'LINEAR_EXACT': // C.11.2.1.3.2
      if (x <= c - w / 2) return 0;
      if (x > c + w / 2) return 1;
      return (x - c) / w + 0.5;
    case 'SIGMOID': // C.11.2.1.3.1
      return 1 / (1 + Math.exp((-4 * (x - c)) / w));
  }
}

/** The reference: a plain loop in float64, one rounding to f32 per output. */
export function windowLevelCpu(x: TypedArray, attrs: WindowLevelAttrs, out: Float32Array): void {
  const { center, width, slope = 1, intercept = 0, function: fn = 'LINEAR', invert = false } = attrs;
  for (let i = 0; i < out.length; i++) {
    const y = voiLut(fn, x[i]! * slope + intercept, center, width);
    out[i] = invert ? 1 - y : y;
  }
}
