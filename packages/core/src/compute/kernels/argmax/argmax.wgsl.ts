import type { WgslProgram } from '../../kernel.js';
import { ALONG_AXIS_BASE, alongAxisLaunch } from '../../kernels-shared/along-axis.wgsl.js';
import { argmaxGeometry, type ArgmaxAttrs } from './argmax.shape.js';

export const argmaxWgsl: WgslProgram<'x', 'out', ArgmaxAttrs> = {
  ...alongAxisLaunch(argmaxGeometry),
  // raw_x compares in the input's own type: f32 cannot tell large i32 values apart.
  body: () => `
  ${ALONG_AXIS_BASE}
  var best = 0u;
  var top = raw_x(base);
  for (var j = 1u; j < params.size; j++) {
    let v = raw_x(base + j * params.inner);
    if (v > top) { top = v; best = j; }
  }
  out[i] = i32(best);`,
};
