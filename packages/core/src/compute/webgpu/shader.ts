import type { DType } from '../dtype.js';
import type { AnyKernel, Specs, TensorSpec } from '../kernel.js';
import { layoutUniforms, uniformStructWgsl, type UniformLayout } from './uniforms.js';

/** Invocations per workgroup of `elementwise` launches. */
export const ELEMENTWISE_WORKGROUP = 64;

export interface AssembledShader {
  readonly code: string;
  readonly uniforms: UniformLayout;
}

/** The WGSL array element a dtype is stored as: narrow integers are packed into u32 words. */
function storageElement(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'f32' ? 'f32' : dtype === 'i32' ? 'i32' : 'u32';
}

function nativeScalar(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'f32' ? 'f32' : dtype === 'i32' || dtype === 'i16' ? 'i32' : 'u32';
}

/** `raw_<name>(i)` unpacks element i in its native scalar type; `load_<name>(i)` gives it as f32. */
function accessors(name: string, dtype: DType): string {
  const raw = (() => {
    switch (dtype) {
      case 'f32':
      case 'i32':
        return `return ${name}[i];`;
      case 'u8':
        return `return (${name}[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu;`;
      case 'u16':
        return `return (${name}[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu;`;
      case 'i16':
        // Shift the half-word to the top, then an arithmetic shift back sign-extends it.
        return `return bitcast<i32>(${name}[i >> 1u] << ((1u - (i & 1u)) * 16u)) >> 16u;`;
    }
  })();
  const scalar = nativeScalar(dtype);
  return [
    `fn raw_${name}(i: u32) -> ${scalar} { ${raw} }`,
    `fn load_${name}(i: u32) -> f32 { return f32(raw_${name}(i)); }`,
  ].join('\n');
}

/** Builds the full shader of a kernel: uniform struct, bindings, accessors, entry point with its guard. */
export function assembleShader(kernel: AnyKernel, inputs: Specs<string>, outputs: Specs<string>, attrs: unknown): AssembledShader {
  const program = kernel.wgsl;
  const launchKind = program.launch(inputs, attrs, outputs).kind;
  const fields = launchKind === 'elementwise' ? { ...program.uniforms, invocations_: 'u32' as const, row_stride_: 'u32' as const } : program.uniforms;
  const uniforms = layoutUniforms(fields);
  const lines: string[] = [uniformStructWgsl(uniforms), '@group(0) @binding(0) var<uniform> params: Params;'];

  let binding = 1;
  for (const name of Object.keys(kernel.inputs)) {
    const spec = inputs[name] as TensorSpec;
    lines.push(`@group(0) @binding(${binding++}) var<storage, read> ${name}: array<${storageElement(spec.dtype)}>;`);
    lines.push(accessors(name, spec.dtype));
  }
  for (const [name, spec] of Object.entries(outputs)) {
    lines.push(`@group(0) @binding(${binding++}) var<storage, read_write> ${name}: array<${storageElement(spec.dtype)}>;`);
  }

  const ctx = { inputs, attrs };
  const declarations = program.declarations?.(ctx);
  if (declarations) lines.push(declarations);

  const [x, y, z] = program.workgroupSize;
  if (launchKind === 'elementwise') {
    lines.push(
      `@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})`,
      'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
      '  let i = gid.y * params.row_stride_ + gid.x;',
      '  if (i >= params.invocations_) { return; }',
      program.body(ctx),
      '}',
    );
  } else {
    lines.push(
      `@compute @workgroup_size(${x}, ${y}, ${z})`,
      'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,',
      '        @builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lindex: u32) {',
      program.body(ctx),
      '}',
    );
  }
  return { code: lines.join('\n'), uniforms };
}

/** Cache key of a compiled pipeline: kernel name, input and output dtypes, and the kernel's own key. */
export function pipelineKey(kernel: AnyKernel, inputs: Specs<string>, outputs: Specs<string>, attrs: unknown): string {
  const inputTypes = Object.keys(kernel.inputs).map((n) => (inputs[n] as TensorSpec).dtype);
  const outputTypes = Object.values(outputs).map((s) => s.dtype);
  const launchKind = kernel.wgsl.launch(inputs, attrs, outputs).kind;
  return [kernel.name, inputTypes.join(','), outputTypes.join(','), launchKind, kernel.wgsl.key?.(attrs, inputs) ?? ''].join('|');
}
