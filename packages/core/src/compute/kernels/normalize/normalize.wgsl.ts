import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { normalizeLayout, perChannel, type NormalizeAttrs } from './normalize.shape.js';

export const normalizeWgsl = elementwiseWgsl<'x', 'out', NormalizeAttrs>({
  each: 'out',
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
  body: () => `
  let c = (i / params.inner) % params.channels;
  out[i] = ((load_x(i) - params.origin_hi[c]) - params.origin_lo[c]) * params.gain[c];`,
});
