import { add } from '../../compute/kernels/add/add.js';
import { scale } from '../../compute/kernels/scale/scale.js';
import { sizeOf, type Shape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import type { Device } from '../../compute/device.js';
import type { ForwardContext, Layer, Parameter } from '../tape/layer.js';

/**
 * Where a value of the imported network goes back in the ONNX model: the initializer's name, and
 * how to read the current value in the initializer's layout (a Gemm with transB keeps its weight
 * transposed; batch norm's running statistics are not parameters).
 */
export interface InitializerBinding {
  readonly initializer: string;
  /** The parameter trained in its place, if it is one (running statistics are not). */
  readonly parameter: Parameter | null;
  read(device: Device): Promise<Float32Array>;
  /** Puts back a value `read` gave (e.g. the best epoch's when early stopping ends fine-tuning). */
  write(device: Device, data: Float32Array): Promise<void>;
}

/** One operation of the imported graph: reads named tensors, writes one. */
export interface GraphOp {
  /** The ONNX node it came from (the first of a fused pair): what errors and block names cite. */
  readonly node: string;
  /** Its ONNX op type, or `MatMul+Add` for a fused pair. */
  readonly op: string;
  readonly inputs: readonly string[];
  readonly output: string;
  /** Its weights and statistics, as the export writes them back. */
  readonly bindings: readonly InitializerBinding[];
  run(ctx: ForwardContext, inputs: readonly Tensor[]): Promise<Tensor>;
}

/** A one-input tape layer as a graph operation. */
export function layerOp(node: string, op: string, input: string, output: string, layer: Layer, bindings: readonly InitializerBinding[] = []): GraphOp {
  return { node, op, inputs: [input], output, bindings, run: (ctx, [x]) => layer.forward(ctx, x!) };
}

/** ONNX Add of two activations (a residual join): dL/da = dL/db = dy. */
export function addOp(node: string, inputs: readonly [string, string], output: string): GraphOp {
  return {
    node,
    op: 'Add',
    inputs,
    output,
    bindings: [],
    async run(ctx, [a, b]) {
      const { out } = await ctx.device.run(add, { a: a!, b: b! }, {});
      ctx.tape?.record({
        label: `${node} (add)`,
        inputs: [a!, b!],
        output: out,
        saved: [],
        // The second gets a copy, since each gradient is released on its own.
        backward: async (dy) => [dy, (await ctx.device.run(scale, { x: dy }, { alpha: 1 })).out],
      });
      return out;
    },
  };
}

/**
 * An op that only gives x another shape (Identity, Flatten, Reshape, Squeeze, Unsqueeze, Dropout
 * at inference), as a copy: a reshaped view would share its storage with its input, which the
 * graph and the tape release on their own. dL/dx is dy under x's shape.
 */
export function shapeOp(node: string, op: string, input: string, output: string, shapeOf: (shape: Shape) => Shape): GraphOp {
  return { node, op, inputs: [input], output, bindings: [], run: (ctx, [x]) => reshapedCopy(ctx, `${node} (${op})`, x!, shapeOf(x!.shape)) };
}

export async function reshapedCopy(ctx: ForwardContext, label: string, x: Tensor, shape: Shape): Promise<Tensor> {
  const out = (await ctx.device.run(scale, { x }, { alpha: 1 })).out.reshape(shape);
  ctx.tape?.record({ label, inputs: [x], output: out, saved: [], backward: async (dy) => [(await ctx.device.run(scale, { x: dy }, { alpha: 1 })).out.reshape(x.shape)] });
  return out;
}

/** ONNX Identity, or Flatten at axis 1 ([N, ...] → [N, rest]). */
export function copyOp(node: string, op: 'Identity' | 'Flatten', input: string, output: string): GraphOp {
  return shapeOp(node, op, input, output, (shape) => (op === 'Flatten' ? [shape[0]!, sizeOf(shape.slice(1))] : shape));
}

/** A parameter's binding in the same layout as its initializer. */
export function parameterBinding(initializer: string, parameter: Parameter): InitializerBinding {
  return {
    initializer,
    parameter,
    read: async (device) => Float32Array.from((await device.read(parameter.value)) as Float32Array),
    write: async (device, data) => replaceValue(device, parameter, data),
  };
}

function replaceValue(device: Device, parameter: Parameter, data: Float32Array): void {
  const shape = parameter.value.shape;
  parameter.value.dispose();
  parameter.value = device.upload(Tensor.cpu('f32', shape, data.slice()));
}

/** A [rows, cols] parameter stored transposed ([cols, rows]) in the model. */
export function transposedBinding(initializer: string, parameter: Parameter): InitializerBinding {
  return {
    initializer,
    parameter,
    async read(device) {
      const [rows, cols] = parameter.value.shape as [number, number];
      const data = (await device.read(parameter.value)) as Float32Array;
      const out = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
      return out;
    },
    async write(device, data) {
      const [rows, cols] = parameter.value.shape as [number, number];
      const out = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = data[c * rows + r]!;
      replaceValue(device, parameter, out);
    },
  };
}
