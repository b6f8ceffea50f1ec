import type { KernelDef } from '../../kernel.js';
import { reduceCpu } from './reduce.cpu.js';
import { divisorOf, reduceGeometry, type ReduceAttrs } from './reduce.shape.js';

export type { ReduceAttrs, ReduceOp } from './reduce.shape.js';

/** Sum, mean or variance along one axis; variance is two-pass (mean first) for accuracy. */
export const reduce: KernelDef<'x', 'out', ReduceAttrs> = {
  name: 'reduce',
  description: 'sum, mean or variance along one axis',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: ({ x }, attrs) => {
    const { axis } = reduceGeometry(x, attrs);
    const shape = attrs.keepDims ? x.shape.map((d, k) => (k === axis ? 1 : d)) : x.shape.filter((_, k) => k !== axis);
    return { out: { shape, dtype: 'f32' } };
  },
  cpu: ({ x }, attrs, { out }) => reduceCpu(x.data, out as Float32Array, reduceGeometry(x, attrs), attrs),
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ op }) => op,
    uniforms: { size: 'u32', inner: 'u32', divisor: 'f32' },
    uniformValues: ({ x }, attrs) => {
      const { size, inner } = reduceGeometry(x, attrs);
      return { size, inner, divisor: divisorOf(attrs, size) };
    },
    launch: ({ x }, attrs) => {
      const { outer, inner } = reduceGeometry(x, attrs);
      return { kind: 'elementwise', invocations: outer * inner };
    },
    body: ({ attrs: { op } }) => `
  let base = (i / params.inner) * params.size * params.inner + i % params.inner;
  var sum = 0.0;
  for (var j = 0u; j < params.size; j++) { sum += load_x(base + j * params.inner); }
  ${
    op === 'variance'
      ? `let mean = sum / f32(params.size);
  var squares = 0.0;
  for (var j = 0u; j < params.size; j++) {
    let d = load_x(base + j * params.inner) - mean;
    squares = fma(d, d, squares);
  }
  out[i] = squares / params.divisor;`
      : op === 'mean'
        ? 'out[i] = sum / params.divisor;'
        : 'out[i] = sum;'
  }`,
  },
  tolerance: 1e-3,
};
