import type { KernelDef, TensorSpec } from '../../kernel.js';
import { resolveAxis, splitAroundAxis } from '../../shape.js';
import { ALONG_AXIS_BASE, alongAxisLaunch } from '../along-axis/along-axis-launch.js';

export interface SoftmaxAttrs {
  /** Axis the probabilities sum to 1 along (default −1, the last). */
  readonly axis?: number;
}

function geometry(x: TensorSpec, { axis = -1 }: SoftmaxAttrs) {
  return splitAroundAxis(x.shape, resolveAxis(axis, x.shape.length, 'kernel "softmax"'));
}

/** Numerically stable softmax: the row maximum is subtracted before exponentiating. */
export const softmax: KernelDef<'x', 'out', SoftmaxAttrs> = {
  name: 'softmax',
  description: 'softmax along one axis (max-subtracted)',
  inputs: { x: ['f32'] },
  outputs: ({ x }, attrs) => {
    geometry(x, attrs);
    return { out: { shape: x.shape, dtype: 'f32' } };
  },
  cpu: ({ x }, attrs, { out }) => {
    const { outer, size, inner } = geometry(x, attrs);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * size * inner + q;
        let max = -Infinity;
        for (let j = 0; j < size; j++) max = Math.max(max, x.data[base + j * inner]!);
        let sum = 0;
        for (let j = 0; j < size; j++) sum += Math.exp(x.data[base + j * inner]! - max);
        for (let j = 0; j < size; j++) out[base + j * inner] = Math.exp(x.data[base + j * inner]! - max) / sum;
      }
    }
  },
  wgsl: {
    ...alongAxisLaunch(geometry),
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
  },
  tolerance: 1e-5,
};
