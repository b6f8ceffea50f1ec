import type { UniformType, UniformValue } from '../kernel.js';

export interface UniformField {
  readonly name: string;
  readonly type: UniformType;
  readonly offset: number;
}

export interface UniformLayout {
  readonly fields: readonly UniformField[];
  /** Byte size, a multiple of 16 as uniform buffers require. */
  readonly size: number;
}

const ALIGN: Record<UniformType, number> = { u32: 4, i32: 4, f32: 4, vec4f: 16 };
const SIZE: Record<UniformType, number> = { u32: 4, i32: 4, f32: 4, vec4f: 16 };
const WGSL_TYPE: Record<UniformType, string> = { u32: 'u32', i32: 'i32', f32: 'f32', vec4f: 'vec4<f32>' };

/** Lays fields out by WGSL's uniform address-space rules (scalars 4-byte aligned, vec4 16-byte). */
export function layoutUniforms(fields: Readonly<Record<string, UniformType>>): UniformLayout {
  let offset = 0;
  const laid: UniformField[] = [];
  for (const [name, type] of Object.entries(fields)) {
    offset = Math.ceil(offset / ALIGN[type]) * ALIGN[type];
    laid.push({ name, type, offset });
    offset += SIZE[type];
  }
  return { fields: laid, size: Math.max(16, Math.ceil(offset / 16) * 16) };
}

export function uniformStructWgsl(layout: UniformLayout): string {
  const members = layout.fields.map((f) => `  ${f.name}: ${WGSL_TYPE[f.type]},`).join('\n');
  return `struct Params {\n${members || '  unused_: u32,'}\n}`;
}

export function packUniforms(layout: UniformLayout, values: Readonly<Record<string, UniformValue>>, kernel: string): ArrayBuffer {
  const bytes = new ArrayBuffer(layout.size);
  const view = new DataView(bytes);
  for (const field of layout.fields) {
    const value = values[field.name];
    if (value === undefined) throw new Error(`kernel "${kernel}": no value for uniform "${field.name}"`);
    if (field.type === 'vec4f') {
      const items = typeof value === 'number' ? [value] : value;
      for (let k = 0; k < 4; k++) view.setFloat32(field.offset + 4 * k, items[k] ?? 0, true);
      continue;
    }
    const scalar = typeof value === 'number' ? value : (value[0] ?? 0);
    if (field.type === 'f32') view.setFloat32(field.offset, scalar, true);
    else if (field.type === 'i32') view.setInt32(field.offset, scalar, true);
    else view.setUint32(field.offset, scalar, true);
  }
  return bytes;
}
