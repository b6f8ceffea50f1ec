import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { imageSize, type SiftExtremaAttrs } from './sift-extrema.shape.js';

// One invocation per pixel of the centre level: its 26 neighbours compared as the CPU reference does.
export const siftExtremaWgsl = elementwiseWgsl<'below' | 'centre' | 'above', 'out', SiftExtremaAttrs>({
  each: 'out',
  uniforms: { height: 'u32', width: 'u32', threshold: 'f32', border: 'u32' },
  uniformValues: ({ centre }, { threshold, border }) => ({ ...imageSize(centre.shape), threshold, border }),
  body: () => `
  let y = (i / params.width) % params.height;
  let x = i % params.width;
  let v = load_centre(i);
  if (y < params.border || x < params.border || y + params.border >= params.height || x + params.border >= params.width || !(abs(v) > params.threshold)) {
    out[i] = 0.0;
    return;
  }
  var isMax = v > 0.0;
  var isMin = v < 0.0;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let j = u32(i32(i) + dy * i32(params.width) + dx);
      let a = load_below(j);
      let b = load_above(j);
      let c = load_centre(j);
      isMax = isMax && a <= v && b <= v && c <= v;
      isMin = isMin && a >= v && b >= v && c >= v;
    }
  }
  out[i] = select(select(0.0, -1.0, isMin), 1.0, isMax);`,
});
