import type { TensorSpec, UniformType } from '../kernel.js';
import { ELEMENTWISE_WORKGROUP } from '../webgpu/shader.js';

/**
 * The launch of kernels that work along one axis of x viewed as [outer, size, inner] (softmax,
 * argmax, ...): one invocation per (outer, inner) pair, with `size` and `inner` as uniforms.
 */
export function alongAxisLaunch<A>(geometry: (x: TensorSpec, attrs: A) => { outer: number; size: number; inner: number }) {
  return {
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1] as const,
    uniforms: { size: 'u32', inner: 'u32' } as const satisfies Record<string, UniformType>,
    uniformValues: ({ x }: { readonly x: TensorSpec }, attrs: A) => {
      const { size, inner } = geometry(x, attrs);
      return { size, inner };
    },
    launch: ({ x }: { readonly x: TensorSpec }, attrs: A) => {
      const { outer, inner } = geometry(x, attrs);
      return { kind: 'elementwise' as const, invocations: outer * inner };
    },
  };
}

/** WGSL: the index of element 0 along the axis for invocation `i`. */
export const ALONG_AXIS_BASE = 'let base = (i / params.inner) * params.size * params.inner + i % params.inner;';
