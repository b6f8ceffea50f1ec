import type { Specs, UniformType, UniformValue, WgslContext, WgslProgram } from '../kernel.js';
import { sizeOf } from '../shape.js';
import { ELEMENTWISE_WORKGROUP } from '../webgpu/shader.js';

/** What an element-wise kernel's WGSL says for itself: its uniforms and the statements for element `i`. */
export interface ElementwiseSpec<I extends string, O extends string, A> {
  /** The output with one invocation per element. */
  readonly each: O;
  key?(attrs: A): string;
  /** Omitted: none. */
  readonly uniforms?: Readonly<Record<string, UniformType>>;
  uniformValues?(inputs: Specs<I>, attrs: A, outputs: Specs<O>): Readonly<Record<string, UniformValue>>;
  declarations?(ctx: WgslContext<I, A>): string;
  body(ctx: WgslContext<I, A>): string;
}

/**
 * The WGSL program of a kernel with one invocation `i` per element of an output: the launch, the
 * workgroup size and the bounds guard (added by the assembler for `elementwise` launches) are the
 * same for all of them, so each kernel writes only what differs.
 */
export function elementwiseWgsl<I extends string, O extends string, A>({ each, uniforms = {}, uniformValues = () => ({}), ...rest }: ElementwiseSpec<I, O, A>): WgslProgram<I, O, A> {
  return {
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
    uniforms,
    uniformValues,
    launch: (_inputs, _attrs, outputs) => ({ kind: 'elementwise', invocations: sizeOf(outputs[each].shape) }),
    ...rest,
  };
}
