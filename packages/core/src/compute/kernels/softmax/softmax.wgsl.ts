import type { WgslProgram } from '../../kernel.js';
import { ALONG_AXIS_BASE, alongAxisLaunch } from '../../kernels-shared/along-axis.wgsl.js';
import { softmaxGeometry, type SoftmaxAttrs } from './softmax.shape.js';

export const softmaxWgsl: WgslProgram<'x', 'out', SoftmaxAttrs> = {
  ...alongAxisLaunch(softmaxGeometry),
  body: () => `
  ${ALONG_AXIS_BASE}
  var top = load_x(base);
  for (var j = 1u; j < params.size; j++) { top = max(top, load_x(base + j * params.inner)); }
  var sum = 0.0;
  for (var j = 0u; j < params.size; j++) { sum += exp(load_x(base + j * params.inner) - top); }
  for (var j = 0u; j < params.size; j++) {
    let at = base + j * params.inner;
    out[at] = exp(load_x(at) - top) / sum;
  }`,
};
