import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
import { resolveAxis, splitAroundAxis } from '../../shape.js';
import { ALONG_AXIS_BASE, alongAxisLaunch } from '../along-axis/along-axis-launch.js';

export interface ArgmaxAttrs {
  /** Default −1, the last axis. */
  readonly axis?: number;
  readonly keepDims?: boolean;
}

function geometry(x: TensorSpec, { axis = -1 }: ArgmaxAttrs) {
  const resolved = resolveAxis(axis, x.shape.length, 'kernel "argmax"');
  return { ...splitAroundAxis(x.shape, resolved), axis: resolved };
}

/** Index of the largest value along an axis (i32); ties go to the lowest index, as in ONNX ArgMax. */
export const argmax: KernelDef<'x', 'out', ArgmaxAttrs> = {
  name: 'argmax',
  description: 'index of the maximum along one axis, first index on ties',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: ({ x }, attrs) => {
    const { axis, size } = geometry(x, attrs);
    if (size === 0) throw new ShapeError('kernel "argmax": the reduced axis is empty');
    const shape = attrs.keepDims ? x.shape.map((d, k) => (k === axis ? 1 : d)) : x.shape.filter((_, k) => k !== axis);
    return { out: { shape, dtype: 'i32' } };
  },
  cpu: ({ x }, attrs, { out }) => {
    const { outer, size, inner } = geometry(x, attrs);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * size * inner + q;
        let best = 0;
        for (let j = 1; j < size; j++) if (x.data[base + j * inner]! > x.data[base + best * inner]!) best = j;
        out[o * inner + q] = best;
      }
    }
  },
  wgsl: {
    ...alongAxisLaunch(geometry),
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
  },
  tolerance: 0,
};
