import type { WgslProgram } from '../../kernel.js';
import { resizeNearestDims } from './resize-nearest.shape.js';

export const resizeNearestWgsl: WgslProgram<'x' | 'rows' | 'cols', 'out', Record<string, never>> = {
  workgroupSize: [64, 1, 1],
  uniforms: { in_h: 'u32', in_w: 'u32', out_h: 'u32', out_w: 'u32' },
  uniformValues: (inputs) => {
    const { inHeight, inWidth, height, width } = resizeNearestDims(inputs);
    return { in_h: inHeight, in_w: inWidth, out_h: height, out_w: width };
  },
  launch: (inputs) => {
    const { planes, height, width } = resizeNearestDims(inputs);
    return { kind: 'elementwise', invocations: planes * height * width };
  },
  body: () => `
  let ox = i % params.out_w;
  let oy = (i / params.out_w) % params.out_h;
  let plane = i / (params.out_w * params.out_h);
  let r = u32(clamp(raw_rows(oy), 0i, i32(params.in_h) - 1i));
  let c = u32(clamp(raw_cols(ox), 0i, i32(params.in_w) - 1i));
  out[i] = load_x((plane * params.in_h + r) * params.in_w + c);`,
};
