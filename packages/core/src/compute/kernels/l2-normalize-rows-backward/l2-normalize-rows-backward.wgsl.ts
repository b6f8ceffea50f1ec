import type { WgslProgram } from '../../kernel.js';
import { ELEMENTWISE_WORKGROUP } from '../../webgpu/shader.js';
import { L2_NORMALIZE_EPSILON } from '../l2-normalize-rows/l2-normalize-rows.shape.js';
import { l2NormalizeRowsBackwardDims, type L2NormalizeRowsBackwardInputs } from './l2-normalize-rows-backward.shape.js';

// One invocation per row: its dot product y·dy, then its row of dx.
export const l2NormalizeRowsBackwardWgsl: WgslProgram<L2NormalizeRowsBackwardInputs, 'dx', unknown> = {
  workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
  uniforms: { columns: 'u32', epsilon: 'f32' },
  uniformValues: (inputs) => ({ columns: l2NormalizeRowsBackwardDims(inputs)[1], epsilon: L2_NORMALIZE_EPSILON }),
  launch: (inputs) => ({ kind: 'elementwise', invocations: l2NormalizeRowsBackwardDims(inputs)[0] }),
  body: () => `
  let base = i * params.columns;
  let length = load_norm(i);
  if (length < params.epsilon) {
    for (var c = 0u; c < params.columns; c++) { dx[base + c] = load_dy(base + c) / params.epsilon; }
    return;
  }
  var dot = 0.0;
  for (var c = 0u; c < params.columns; c++) { dot += load_y(base + c) * load_dy(base + c); }
  for (var c = 0u; c < params.columns; c++) { dx[base + c] = (load_dy(base + c) - load_y(base + c) * dot) / length; }`,
};
