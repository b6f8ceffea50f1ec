import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';

export const siftDogWgsl = elementwiseWgsl<'upper' | 'lower', 'out', Record<string, never>>({
  each: 'out',
  body: () => `
  out[i] = load_upper(i) - load_lower(i);`,
});
