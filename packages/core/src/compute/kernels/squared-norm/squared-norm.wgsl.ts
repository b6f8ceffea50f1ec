import type { WgslProgram } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import type { SquaredNormAttrs } from './squared-norm.shape.js';

const THREADS = 256;

// One workgroup: each invocation sums a strided share, then a tree reduction in workgroup memory.
export const squaredNormWgsl: WgslProgram<'x' | 'acc', 'out', SquaredNormAttrs> = {
  workgroupSize: [THREADS, 1, 1],
  uniforms: { n: 'u32' },
  uniformValues: ({ x }) => ({ n: sizeOf(x.shape) }),
  launch: () => ({ kind: 'workgroups', count: [1, 1, 1] }),
  declarations: () => `var<workgroup> partial: array<f32, ${THREADS}>;`,
  body: () => `
  var sum = 0.0;
  for (var j = lindex; j < params.n; j += ${THREADS}u) {
    let v = load_x(j);
    sum = fma(v, v, sum);
  }
  partial[lindex] = sum;
  workgroupBarrier();
  for (var stride = ${THREADS / 2}u; stride > 0u; stride >>= 1u) {
    if (lindex < stride) { partial[lindex] += partial[lindex + stride]; }
    workgroupBarrier();
  }
  if (lindex == 0u) { out[0] = load_acc(0u) + partial[0]; }`,
};
