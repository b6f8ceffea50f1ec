import { attr, type NodeAttribute, type OnnxGraphBuilder } from '../../onnx/graph-builder.js';

/**
 * The layers of a CNN written into an ONNX graph, each with its backward pass in standard ONNX
 * ops, so one graph computes the forward pass, the loss and every gradient in one
 * `session.run`. A layer returns its output and a `backward` that maps the output's gradient to
 * the input's (null where the input needs none, e.g. the image) and hands its parameters'
 * gradients to `grad`. The pools here take [N, C, H, W] (the saliency graph's layout); the training
 * step's layers, in its batch-innermost layout, are in cnn-step-layers.ts.
 */
export interface Layer {
  readonly y: string;
  backward(dy: string, wantInput: boolean): string | null;
}

/** The graph and the shared constants of a training graph. */
export class LayerGraph {
  readonly g: OnnxGraphBuilder;
  /** Receives each parameter's gradient tensor (by parameter name). */
  readonly grad: (name: string, tensor: string) => void;

  constructor(g: OnnxGraphBuilder, grad: (name: string, tensor: string) => void) {
    this.g = g;
    this.grad = grad;
  }

  scalar(value: number): string {
    const name = `const/f32/${value}`;
    return this.g.has(name) ? name : this.g.initializer(name, Float32Array.of(value), []);
  }

  /** A float32 [length] constant of `value` everywhere. */
  filled(value: number, length: number): string {
    const name = `const/f32/${value}x${length}`;
    return this.g.has(name) ? name : this.g.initializer(name, new Float32Array(length).fill(value), [length]);
  }

  int64(values: readonly number[]): string {
    const name = `const/i64/${values.join(',')}`;
    return this.g.has(name) ? name : this.g.initializer(name, BigInt64Array.from(values.map(BigInt)), [values.length]);
  }

  node(op: string, inputs: readonly string[], attributes: readonly NodeAttribute[] = []): string {
    return this.g.node(op, inputs, { attributes })[0]!;
  }

  /** The element count of `x` as an int64 tensor [1]. */
  size(x: string): string {
    return this.g.reshape(this.g.node('Size', [x], { outputTypes: ['int64'] })[0]!, [1]);
  }
}

/** The tensors of one batch normalisation: parameters, running statistics in, updated statistics out. */
export interface BnTensors {
  readonly scale: string;
  readonly bias: string;
  readonly mean: string;
  readonly variance: string;
  readonly channels: number;
}

/** Batch normalisation in evaluation mode, written out: (x − running mean) · γ/√(running var + ε) + β. */
export function batchNormEval(l: LayerGraph, x: string, bn: BnTensors, epsilon: number): string {
  const { g } = l;
  const invStd = l.node('Reciprocal', [l.node('Sqrt', [g.add(bn.variance, l.scalar(epsilon))])]);
  const factor = g.reshape(g.mul(bn.scale, invStd), [1, bn.channels, 1, 1]);
  return g.add(g.mul(g.sub(x, g.reshape(bn.mean, [1, bn.channels, 1, 1])), factor), g.reshape(bn.bias, [1, bn.channels, 1, 1]));
}

/** ReLU; backward passes dy where the output is positive. */
export function relu(l: LayerGraph, x: string): Layer {
  const { g } = l;
  const y = g.relu(x);
  return {
    y,
    backward(dy) {
      // dy · (y > 0) as a Mul by the mask cast to 0/1: ORT's Where with a scalar branch runs several times slower, its Sign (also the mask here, as y ≥ 0) twice as slow as Greater + Cast.
      const positive = g.node('Greater', [y, l.scalar(0)], { outputTypes: ['bool'] })[0]!;
      return g.mul(dy, g.node('Cast', [positive], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!);
    },
  };
}

/**
 * Max pooling (window = stride = size). Backward: MaxUnpool puts each dy at the position its
 * window's maximum came from (MaxPool's Indices output, the first of tied maxima as PyTorch picks)
 * in zeros of the input's shape; windows do not overlap, so no position receives two values.
 */
export function maxPool(l: LayerGraph, x: string, size: number): Layer {
  const { g } = l;
  const window = [attr.ints('kernel_shape', [size, size]), attr.ints('strides', [size, size])];
  const [y, indices] = g.node('MaxPool', [x], { attributes: window, outputs: 2, outputTypes: ['float32', 'int64'] });
  return {
    y: y!,
    backward(dy) {
      return g.node('MaxUnpool', [dy, indices!, g.shape(x)], { attributes: window })[0]!;
    },
  };
}

/** Average pooling (window = stride = size). Backward: ConvTranspose of dy with a per-channel window of 1/size². */
export function averagePool(l: LayerGraph, x: string, size: number, channels: number, padding: readonly [number, number]): Layer {
  const { g } = l;
  const y = g.averagePool(x, { kernelShape: [size, size], strides: [size, size] });
  return {
    y,
    backward(dy) {
      const name = `const/avgpool/${channels}x${size}`;
      const window = g.has(name) ? name : g.initializer(name, new Float32Array(channels * size * size).fill(1 / (size * size)), [channels, 1, size, size]);
      return g.node('ConvTranspose', [dy, window], { attributes: [attr.int('group', channels), attr.ints('kernel_shape', [size, size]), attr.ints('strides', [size, size]), attr.ints('output_padding', padding)] })[0]!;
    },
  };
}

/** Global average pooling to the embedding [N, C]; backward spreads dy/(H·W) over every position (Expand). */
export function globalAveragePool(l: LayerGraph, x: string, channels: number, area: number): Layer {
  const { g } = l;
  const y = g.flatten(g.globalAveragePool(x), 1);
  return {
    y,
    backward(dy) {
      return g.expand(g.mul(g.reshape(dy, [-1, channels, 1, 1]), l.scalar(1 / area)), g.shape(x));
    },
  };
}
