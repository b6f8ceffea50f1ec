import { binaryKernel } from '../binary/binary-kernel.js';

export const mul = binaryKernel({
  name: 'mul',
  description: 'element-wise a × b, b broadcast over a\'s leading dimensions',
  cpu: (a, b) => a * b,
  wgsl: 'x * y',
});
