import type { KernelCases } from '../../kernel.js';
import { reduce, type ReduceAttrs } from './reduce.js';

const matrix = { shape: [2, 3], dtype: 'f32' as const, data: [1, 2, 3, 4, 6, 8] };

export const reduceCases: KernelCases<ReduceAttrs> = {
  kernel: reduce,
  cases: [
    { name: 'sum of rows', inputs: { x: matrix }, attrs: { op: 'sum', axis: 1 }, expected: { out: [6, 18] } },
    { name: 'mean of columns', inputs: { x: matrix }, attrs: { op: 'mean', axis: 0 }, expected: { out: [2.5, 4, 5.5] } },
    { name: 'population variance of rows', inputs: { x: matrix }, attrs: { op: 'variance', axis: -1 }, expected: { out: [2 / 3, 8 / 3] } },
    { name: 'sample variance, keepDims', inputs: { x: matrix }, attrs: { op: 'variance', axis: 1, correction: 1, keepDims: true }, expected: { out: [1, 4] } },
    { name: 'mean of u8 over the middle axis', inputs: { x: { shape: [1, 2, 2], dtype: 'u8', data: [0, 255, 100, 1] } }, attrs: { op: 'mean', axis: 1 }, expected: { out: [50, 128] } },
  ],
  random: (rng) => {
    const shape = [rng.int(1, 20), rng.int(1, 300), rng.int(1, 12)];
    const n = shape[0]! * shape[1]! * shape[2]!;
    return (['sum', 'mean', 'variance'] as const).map((op) => ({
      name: `random ${op}`,
      inputs: { x: { shape, dtype: 'f32' as const, data: rng.floats(n, -2, 2) } },
      attrs: { op, axis: rng.int(0, 2) },
    }));
  },
};
