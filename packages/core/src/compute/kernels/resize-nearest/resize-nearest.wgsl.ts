import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { resizeNearestDims } from './resize-nearest.shape.js';

export const resizeNearestWgsl = elementwiseWgsl<'x' | 'rows' | 'cols', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { in_h: 'u32', in_w: 'u32', out_h: 'u32', out_w: 'u32' },
  uniformValues: (inputs) => {
    const { inHeight, inWidth, height, width } = resizeNearestDims(inputs);
    return { in_h: inHeight, in_w: inWidth, out_h: height, out_w: width };
  },
  body: () => `
  let ox = i % params.out_w;
  let oy = (i / params.out_w) % params.out_h;
  let plane = i / (params.out_w * params.out_h);
  let r = u32(clamp(raw_rows(oy), 0i, i32(params.in_h) - 1i));
  let c = u32(clamp(raw_cols(ox), 0i, i32(params.in_w) - 1i));
  out[i] = load_x((plane * params.in_h + r) * params.in_w + c);`,
});
