import { ShapeError } from '../../../errors.js';
import type { KernelDef } from '../../kernel.js';
import { formatShape, sizeOf, type Shape } from '../../shape.js';

/**
 * Element-wise `out = a ∘ b` with suffix broadcasting: `b`'s shape (leading 1s dropped) must equal
 * the trailing dimensions of `a` — a scalar, a per-column bias, a row, or the same shape.
 * Add and mul are instances; they differ only in the operator.
 */
export function binaryKernel(spec: {
  name: string;
  description: string;
  cpu: (a: number, b: number) => number;
  /** WGSL expression over `x` and `y`. */
  wgsl: string;
}): KernelDef<'a' | 'b', 'out', Record<string, never>> {
  return {
    name: spec.name,
    description: spec.description,
    inputs: { a: ['f32'], b: ['f32'] },
    outputs: ({ a, b }) => {
      assertSuffix(spec.name, a.shape, b.shape);
      return { out: { shape: a.shape, dtype: 'f32' } };
    },
    cpu: ({ a, b }, _attrs, { out }) => {
      // b repeats along a: walk a in b-sized rows instead of an integer modulo per element.
      const [xs, ys] = [a.data, b.data];
      const n = ys.length;
      const op = spec.cpu;
      for (let start = 0; start < out.length; start += n) {
        for (let j = 0; j < n; j++) out[start + j] = op(xs[start + j]!, ys[j]!);
      }
    },
    wgsl: {
      workgroupSize: [64, 1, 1],
      uniforms: { b_size: 'u32' },
      uniformValues: ({ b }) => ({ b_size: sizeOf(b.shape) }),
      launch: (_inputs, _attrs, { out }) => ({ kind: 'elementwise', invocations: sizeOf(out.shape) }),
      body: () => `  let x = load_a(i);\n  let y = load_b(i % params.b_size);\n  out[i] = ${spec.wgsl};`,
    },
    tolerance: 0,
  };
}

function assertSuffix(name: string, a: Shape, b: Shape): void {
  const trimmed = [...b];
  while (trimmed.length > 0 && trimmed[0] === 1 && trimmed.length > 0) trimmed.shift();
  const suffix = a.slice(a.length - trimmed.length);
  const fits = trimmed.length <= a.length && trimmed.every((d, k) => d === suffix[k]);
  if (!fits || (sizeOf(b) === 0 && sizeOf(a) !== 0)) {
    throw new ShapeError(`kernel "${name}": b ${formatShape(b)} does not broadcast to a ${formatShape(a)} (b must match a's trailing dimensions)`);
  }
}
