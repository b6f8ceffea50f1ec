import type { KernelDef } from '../../kernel.js';
import { reduceCpu } from './reduce.cpu.js';
import { reduceGeometry, reduceOutputs, type ReduceAttrs } from './reduce.shape.js';
import { reduceWgsl } from './reduce.wgsl.js';

export type { ReduceAttrs, ReduceOp } from './reduce.shape.js';

/** Sum, mean or variance along one axis; variance is two-pass (mean first) for accuracy. */
export const reduce: KernelDef<'x', 'out', ReduceAttrs> = {
  name: 'reduce',
  description: 'sum, mean or variance along one axis',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: reduceOutputs,
  cpu: ({ x }, attrs, { out }) => reduceCpu(x.data, out as Float32Array, reduceGeometry(x, attrs), attrs),
  wgsl: reduceWgsl,
  tolerance: 1e-3,
};
