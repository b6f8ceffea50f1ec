import { ShapeError } from '../../errors.js';
import type { HostTensors, OutputArrays, Specs, WgslProgram } from '../kernel.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import { elementwiseWgsl } from './elementwise.wgsl.js';

// Element-wise `out = a ∘ b` with suffix broadcasting: `b`'s shape (leading 1s dropped) must equal
// the trailing dimensions of `a` — a scalar, a per-column bias, a row, or the same shape.
// Add and mul are instances; they differ only in the operator.

/** Binary kernels have no attributes. */
export type BinaryAttrs = Record<string, never>;

/** The output spec: a's shape, after checking that b broadcasts to it. */
export function broadcastBinaryOutputs(name: string): (inputs: Specs<'a' | 'b'>) => Specs<'out'> {
  return ({ a, b }) => {
    assertSuffix(name, a.shape, b.shape);
    return { out: { shape: a.shape, dtype: 'f32' } };
  };
}

function assertSuffix(name: string, a: Shape, b: Shape): void {
  const trimmed = [...b];
  while (trimmed.length > 0 && trimmed[0] === 1) trimmed.shift();
  const suffix = a.slice(a.length - trimmed.length);
  const fits = trimmed.length <= a.length && trimmed.every((d, k) => d === suffix[k]);
  if (!fits || (sizeOf(b) === 0 && sizeOf(a) !== 0)) {
    throw new ShapeError(`kernel "${name}": b ${formatShape(b)} does not broadcast to a ${formatShape(a)} (b must match a's trailing dimensions)`);
  }
}

/** The CPU reference of `op`: b repeats along a, so a is walked in b-sized rows instead of an integer modulo per element. */
export function broadcastBinaryCpu(op: (a: number, b: number) => number): (inputs: HostTensors<'a' | 'b'>, attrs: BinaryAttrs, outputs: OutputArrays<'out'>) => void {
  return ({ a, b }, _attrs, { out }) => {
    const [xs, ys] = [a.data, b.data];
    const n = ys.length;
    for (let start = 0; start < out.length; start += n) {
      for (let j = 0; j < n; j++) out[start + j] = op(xs[start + j]!, ys[j]!);
    }
  };
}

/** The WGSL of `op`, given as an expression over `x` (from a) and `y` (from b). */
export function broadcastBinaryWgsl(expression: string): WgslProgram<'a' | 'b', 'out', BinaryAttrs> {
  return elementwiseWgsl({
    each: 'out',
    uniforms: { b_size: 'u32' },
    uniformValues: ({ b }) => ({ b_size: sizeOf(b.shape) }),
    body: () => `  let x = load_a(i);\n  let y = load_b(i % params.b_size);\n  out[i] = ${expression};`,
  });
}
