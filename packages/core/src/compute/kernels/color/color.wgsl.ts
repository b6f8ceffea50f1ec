import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { BT601_LUMA, colorLayout, type ColorAttrs } from './color.shape.js';

export const colorWgsl = elementwiseWgsl<'x', 'out', ColorAttrs>({
  each: 'out',
  key: ({ conversion }) => conversion,
  uniforms: { channels: 'u32', inner: 'u32' },
  uniformValues: ({ x }, attrs) => {
    const { channels, inner } = colorLayout(x, attrs);
    return { channels, inner };
  },
  body: ({ attrs: { conversion } }) =>
    conversion === 'rgb-to-gray'
      ? `
  let n = i % params.inner;
  let base = (i / params.inner) * params.channels * params.inner + n;
  out[i] = ${BT601_LUMA[0]} * load_x(base) + ${BT601_LUMA[1]} * load_x(base + params.inner) + ${BT601_LUMA[2]} * load_x(base + 2u * params.inner);`
      : `
  out[i] = load_x((i / (3u * params.inner)) * params.inner + i % params.inner);`,
});
