import type { WgslProgram } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import { concatRowsDims } from './concat-rows.shape.js';

export const concatRowsWgsl: WgslProgram<'a' | 'b', 'out', Record<string, never>> = {
  workgroupSize: [64, 1, 1],
  uniforms: { split: 'u32' },
  uniformValues: (inputs) => ({ split: concatRowsDims(inputs).split }),
  launch: (_inputs, _attrs, { out }) => ({ kind: 'elementwise', invocations: sizeOf(out.shape) }),
  body: () => `
  if (i < params.split) {
    out[i] = raw_a(i);
  } else {
    out[i] = raw_b(i - params.split);
  }`,
};
