import type { KernelDef } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import { assertActivation, gelu, GELU_WGSL, type ActivationFunction } from './activation-functions.js';

export type { ActivationFunction } from './activation-functions.js';

export interface ActivationAttrs {
  readonly fn: ActivationFunction;
}

/** Element-wise ReLU or GELU (tanh approximation): the non-linearity of the MLP head. */
export const activation: KernelDef<'x', 'out', ActivationAttrs> = {
  name: 'activation',
  description: 'element-wise relu or gelu (tanh approximation)',
  inputs: { x: ['f32'] },
  outputs: ({ x }, { fn }) => {
    assertActivation('activation', fn);
    return { out: { shape: x.shape, dtype: 'f32' } };
  },
  cpu: ({ x }, { fn }, { out }) => {
    const data = x.data;
    // (v + |v|) / 2 is max(v, 0) exactly, without a branch: random signs mispredict (3× slower).
    if (fn === 'relu') for (let i = 0; i < out.length; i++) out[i] = (data[i]! + Math.abs(data[i]!)) * 0.5;
    else for (let i = 0; i < out.length; i++) out[i] = gelu(data[i]!);
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ fn }) => fn,
    uniforms: {},
    uniformValues: () => ({}),
    launch: ({ x }) => ({ kind: 'elementwise', invocations: sizeOf(x.shape) }),
    declarations: ({ attrs: { fn } }) => (fn === 'gelu' ? GELU_WGSL : ''),
    body: ({ attrs: { fn } }) => (fn === 'relu' ? '  out[i] = max(load_x(i), 0.0);' : '  out[i] = gelu(load_x(i));'),
  },
  tolerance: 1e-5,
};
