import type { KernelCases } from '../../kernel.js';
import { argmax, type ArgmaxAttrs } from './argmax.js';

export const argmaxCases: KernelCases<ArgmaxAttrs> = {
  kernel: argmax,
  cases: [
    { name: 'rows', inputs: { x: { shape: [2, 3], dtype: 'f32', data: [0.1, 0.7, 0.2, -1, -3, -2] } }, attrs: {}, expected: { out: [1, 0] } },
    { name: 'ties take the first index', inputs: { x: { shape: [4], dtype: 'f32', data: [1, 3, 3, 2] } }, attrs: { axis: 0 }, expected: { out: [1] } },
    { name: 'columns of i16, keepDims', inputs: { x: { shape: [3, 2], dtype: 'i16', data: [-5, 7, 100, -100, 3, 8] } }, attrs: { axis: 0, keepDims: true }, expected: { out: [1, 2] } },
    { name: 'large i32 values differ by one', inputs: { x: { shape: [2], dtype: 'i32', data: [2147483646, 2147483647] } }, attrs: {}, expected: { out: [1] } },
  ],
  random: (rng) => {
    const rows = rng.int(1, 2000);
    const classes = rng.int(1, 30);
    const pixels = Array.from({ length: 6 * classes }, () => rng.int(0, 65535));
    return [
      { name: 'random scores', inputs: { x: { shape: [rows, classes], dtype: 'f32', data: rng.floats(rows * classes) } }, attrs: {} },
      { name: 'random u16, first axis', inputs: { x: { shape: [classes, 6], dtype: 'u16', data: pixels } }, attrs: { axis: 0 } },
    ];
  },
};
