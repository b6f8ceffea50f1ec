import { activationBackward } from '../../compute/kernels/activation-backward/activation-backward.js';
import { add } from '../../compute/kernels/add/add.js';
import { clamp } from '../../compute/kernels/clamp/clamp.js';
import { mul } from '../../compute/kernels/mul/mul.js';
import { scale } from '../../compute/kernels/scale/scale.js';
import { formatShape, type Shape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { ShapeError } from '../../errors.js';
import { DropoutLayer } from '../tape/activation-layer.js';
import type { ForwardContext } from '../tape/layer.js';
import type { GraphOp } from './graph-ops.js';
import type { Constant } from './onnx-model-reader.js';

/** x ∘ c for a constant c: `constantFirst` when the graph has c ∘ x (it matters for Sub). */
export type ConstantArithmetic = 'Add' | 'Sub' | 'Mul' | 'Div';

/**
 * The constant broadcast (numpy rules) to one item of x [N, ...item] and flattened: a scalar, a
 * per-channel [C, 1, 1] or [1, C, 1, 1], or a whole item. It may not vary along the batch.
 */
export function constantOverItem(node: string, constant: Constant, shape: Shape): Float32Array {
  const item = shape.slice(1);
  const dims = [...constant.dims];
  if (dims.length > shape.length || (dims.length === shape.length && dims[0] !== 1)) throw new ShapeError(`onnx import: "${node}" has a constant of shape ${formatShape(dims)} that varies along the batch of ${formatShape(shape)}`);
  const aligned = [...Array<number>(item.length - Math.min(dims.length, item.length)).fill(1), ...dims.slice(dims.length - Math.min(dims.length, item.length))];
  if (aligned.some((d, k) => d !== 1 && d !== item[k])) throw new ShapeError(`onnx import: "${node}" has a constant of shape ${formatShape(dims)} that does not broadcast to ${formatShape(shape)}`);
  const size = item.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const strides = aligned.map((_, k) => aligned.slice(k + 1).reduce((a, b) => a * b, 1));
  const itemStrides = item.map((_, k) => item.slice(k + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < size; i++) {
    let at = 0;
    for (let k = 0; k < item.length; k++) if (aligned[k] !== 1) at += Math.floor(i / itemStrides[k]!) % item[k]! * strides[k]!;
    out[i] = constant.data[at]!;
  }
  return out;
}

/**
 * ONNX Add/Sub/Mul/Div of an activation and a constant (an input's scaling and shift inside a
 * backbone): add or mul by the constant expanded over the item, so dL/dx is dy, −dy, dy·c or dy/c.
 * A division by a constant is the product with its reciprocal.
 */
export function constantArithmeticOp(node: string, op: ConstantArithmetic, input: string, output: string, constant: Constant, constantFirst: boolean): GraphOp {
  const expanded = new Map<string, Float32Array>();
  const operand = (shape: Shape) => {
    const key = shape.slice(1).join('x');
    let values = expanded.get(key);
    if (!values) {
      values = constantOverItem(node, constant, shape);
      if (op === 'Div') values = values.map((v) => 1 / v);
      else if (op === 'Sub' && !constantFirst) values = values.map((v) => -v);
      expanded.set(key, values);
    }
    return values;
  };
  const product = op === 'Mul' || op === 'Div';
  const negated = op === 'Sub' && constantFirst;
  return {
    node,
    op,
    inputs: [input],
    output,
    bindings: [],
    async run(ctx, [x]) {
      const { device } = ctx;
      const c = device.upload(Tensor.cpu('f32', x!.shape.slice(1), operand(x!.shape)));
      const flipped = negated ? (await device.run(scale, { x: x! }, { alpha: -1 })).out : null;
      const { out } = await device.run(product ? mul : add, { a: flipped ?? x!, b: c }, {});
      flipped?.dispose();
      if (!ctx.tape) {
        c.dispose();
        return out;
      }
      ctx.tape.record({
        label: `${node} (${op} by a constant)`,
        inputs: [x!],
        output: out,
        saved: product ? [c] : [],
        temporaries: [c],
        backward: async (dy) => {
          if (product) return [(await device.run(mul, { a: dy, b: c }, {})).out];
          return [negated ? (await device.run(scale, { x: dy }, { alpha: -1 })).out : dy];
        },
      });
      return out;
    },
  };
}

/** ONNX Clip (ReLU6 is Clip(0, 6)): dL/dx is dy where min < x < max, as PyTorch's hardtanh, from two ReLU masks of x − min and max − x. */
export function clipOp(node: string, input: string, output: string, min: number, max: number): GraphOp {
  return {
    node,
    op: 'Clip',
    inputs: [input],
    output,
    bindings: [],
    async run(ctx, [x]) {
      const { device } = ctx;
      const { out } = await device.run(clamp, { x: x! }, { min, max });
      ctx.tape?.record({
        label: `${node} (clip)`,
        inputs: [x!],
        output: out,
        saved: [x!],
        backward: async (dy) => {
          let g = dy;
          for (const [alpha, beta, bounded] of [[1, -min, min > -Infinity], [-1, max, max < Infinity]] as const) {
            if (!bounded) continue;
            const { out: distance } = await device.run(scale, { x: x! }, { alpha, beta });
            const { dx } = await device.run(activationBackward, { x: distance, dy: g }, { fn: 'relu' });
            distance.dispose();
            if (g !== dy) g.dispose();
            g = dx;
          }
          return [g];
        },
      });
      return out;
    },
  };
}

/** ONNX Dropout: the model's ratio while fine-tuning (training), a copy at inference. */
export function dropoutOp(node: string, input: string, output: string, ratio: number, copy: (ctx: ForwardContext, x: Tensor) => Promise<Tensor>): GraphOp {
  const layer = new DropoutLayer(node, ratio);
  return {
    node,
    op: 'Dropout',
    inputs: [input],
    output,
    bindings: [],
    // The layer returns x itself at inference; the graph releases x on its own, so the output is a copy.
    run: (ctx, [x]) => (ctx.training && ratio > 0 ? layer.forward(ctx, x!) : copy(ctx, x!)),
  };
}
