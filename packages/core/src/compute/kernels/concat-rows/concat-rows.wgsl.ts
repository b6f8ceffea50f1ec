import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { concatRowsDims } from './concat-rows.shape.js';

export const concatRowsWgsl = elementwiseWgsl<'a' | 'b', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { split: 'u32' },
  uniformValues: (inputs) => ({ split: concatRowsDims(inputs).split }),
  body: () => `
  if (i < params.split) {
    out[i] = raw_a(i);
  } else {
    out[i] = raw_b(i - params.split);
  }`,
});
