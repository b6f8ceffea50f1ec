import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { FAST_ARC, FAST_CIRCLE, imageSize } from './orb-fast-score.shape.js';

// One invocation per pixel: its 16 circle differences, then the best 9-arc minimum, bright or dark,
// in the CPU reference's order (min and max are exact, so the result is too).
export const orbFastScoreWgsl = elementwiseWgsl<'x', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { height: 'u32', width: 'u32' },
  uniformValues: ({ x }) => imageSize(x.shape),
  declarations: () => `
const CIRCLE_X = array<i32, 16>(${FAST_CIRCLE.map(([dx]) => dx).join(', ')});
const CIRCLE_Y = array<i32, 16>(${FAST_CIRCLE.map(([, dy]) => dy).join(', ')});`,
  body: () => `
  let y = (i / params.width) % params.height;
  let x = i % params.width;
  if (y < 3u || x < 3u || y + 3u >= params.height || x + 3u >= params.width) {
    out[i] = 0.0;
    return;
  }
  let c = load_x(i);
  var diff: array<f32, 16>;
  for (var k = 0; k < 16; k++) {
    diff[k] = load_x(u32(i32(i) + CIRCLE_Y[k] * i32(params.width) + CIRCLE_X[k])) - c;
  }
  var best = 0.0;
  for (var start = 0; start < 16; start++) {
    var brighter = diff[start];
    var darker = -diff[start];
    for (var j = 1; j < ${FAST_ARC}; j++) {
      let d = diff[(start + j) & 15];
      brighter = min(brighter, d);
      darker = min(darker, -d);
    }
    best = max(best, max(brighter, darker));
  }
  out[i] = best;`,
});
