import type { KernelDef } from '../../kernel.js';
import { poolGeometry } from '../../kernels-shared/window-geometry.js';
import { avgPoolCpu } from './avg-pool.cpu.js';
import { avgPoolOutputs, type AvgPoolAttrs } from './avg-pool.shape.js';
import { avgPoolWgsl } from './avg-pool.wgsl.js';

export type { AvgPoolAttrs } from './avg-pool.shape.js';

/** 2-D average pooling of NCHW (ONNX AveragePool, ceil_mode 0), padding counted or not. */
export const avgPool: KernelDef<'x', 'out', AvgPoolAttrs> = {
  name: 'avg-pool',
  description: 'NCHW 2-D average pooling (ONNX AveragePool), count_include_pad either way',
  inputs: { x: ['f32'] },
  outputs: avgPoolOutputs,
  cpu: ({ x }, attrs, { out }) => avgPoolCpu(x.data, out as Float32Array, poolGeometry('avg-pool', x, attrs), attrs.countIncludePad ?? false),
  wgsl: avgPoolWgsl,
  // Sums of at most kH·kW values, f32 on the GPU against float64: worst seen 1.2e-7 (20 seeds).
  tolerance: 1e-6,
};
