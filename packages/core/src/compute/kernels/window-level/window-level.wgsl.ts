import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import type { WindowLevelAttrs } from './window-level.shape.js';

/**
 * The window relative to its origin, in rescaled units: LINEAR and LINEAR_EXACT are one shader,
 * 0 at or below `lo`, 1 above `hi`, else u/span + 0.5 (u = rescaled value − origin). They differ
 * only in where the window lies (LINEAR's c − 0.5 and w − 1). SIGMOID uses origin c and span w.
 */
function window({ center: c, width: w, function: fn = 'LINEAR' }: WindowLevelAttrs): { origin: number; lo: number; hi: number; span: number } {
  if (fn === 'LINEAR') {
    // With width 1 the window is a step at c − 0.5 and the ramp is never reached: any span will do.
    return { origin: c - 0.5, lo: -(w - 1) / 2, hi: (w - 1) / 2, span: w > 1 ? w - 1 : 1 };
  }
  return { origin: c, lo: -w / 2, hi: w / 2, span: w };
}

export const windowLevelWgsl = elementwiseWgsl<'x', 'out', WindowLevelAttrs>({
  each: 'out',
  key: ({ function: fn = 'LINEAR' }) => (fn === 'SIGMOID' ? 'sigmoid' : 'linear'),
  uniforms: { origin_hi: 'f32', origin_lo: 'f32', slope: 'f32', lo: 'f32', hi: 'f32', span: 'f32', invert: 'u32' },
  uniformValues: (_inputs, attrs) => {
    const { slope = 1, intercept = 0, invert = false } = attrs;
    const { origin, lo, hi, span } = window(attrs);
    // The origin in stored units, split into two f32s (hi + lo): a window far from 0 (e.g. c 30000
    // on 16-bit MR) keeps sub-unit accuracy, where one f32 would be off by up to ~1e-3.
    const stored = (origin - intercept) / slope;
    const originHi = Math.fround(stored);
    return { origin_hi: originHi, origin_lo: stored - originHi, slope, lo, hi, span, invert: invert ? 1 : 0 };
  },
  body: ({ attrs: { function: fn = 'LINEAR' } }) => `
  // Subtract before rescaling: x·slope + intercept − origin would cancel, this does not.
  let u = ((load_x(i) - params.origin_hi) - params.origin_lo) * params.slope;
  ${
    fn === 'SIGMOID'
      ? // exp overflows f32 past 88 and WGSL may not produce an infinity; e^80 already makes y < 2e-35.
        'let y = 1.0 / (1.0 + exp(clamp(-4.0 * u / params.span, -80.0, 80.0)));'
      : `var y = u / params.span + 0.5;
  if (u <= params.lo) { y = 0.0; } else if (u > params.hi) { y = 1.0; }`
  }
  out[i] = select(y, 1.0 - y, params.invert != 0u);`,
});
