import { ShapeError } from '../../../errors.js';
import type { KernelDef } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

const THREADS = 256;

/**
 * out = acc + Σ x²: one tensor's share of a global squared norm, chained over tensors through
 * `acc` so the total stays on the device (gradient clipping reads it there, no read-back).
 */
export const squaredNorm: KernelDef<'x' | 'acc', 'out', Record<string, never>> = {
  name: 'squared-norm',
  description: 'acc + sum of squares of x, as a [1] tensor (chains into a global norm)',
  inputs: { x: ['f32'], acc: ['f32'] },
  outputs: ({ acc }) => {
    if (sizeOf(acc.shape) !== 1) throw new ShapeError(`kernel "squared-norm": acc ${formatShape(acc.shape)} must hold one value`);
    return { out: { shape: [1], dtype: 'f32' } };
  },
  cpu: ({ x, acc }, _attrs, { out }) => {
    const data = x.data;
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[i]! * data[i]!;
    out[0] = acc.data[0]! + sum;
  },
  wgsl: {
    // One workgroup: each invocation sums a strided share, then a tree reduction in workgroup memory.
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
  },
  tolerance: 1e-3,
};
