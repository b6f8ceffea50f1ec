import { attr, type NodeAttribute, type OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import type { ConvShape } from './cnn-spec.js';

/**
 * The layers of a CNN written into an ONNX graph, each with its backward pass in standard ONNX
 * ops, so one graph computes the forward pass, the loss and every gradient in one
 * `session.run`. A layer returns its output and a `backward` that maps the output's gradient to
 * the input's (null where the input needs none, e.g. the image) and hands its parameters'
 * gradients to `grad`.
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

/** Batch statistics per channel of [N, C, H, W]: ReduceMean over N, H, W (opset 17: axes as an attribute). */
function channelMean(l: LayerGraph, x: string): string {
  return l.node('ReduceMean', [x], [attr.ints('axes', [0, 2, 3]), attr.int('keepdims', 1)]);
}

/**
 * Convolution without bias. Backward: the input's gradient is ConvTranspose of dy with the same
 * weight, strides and pads (output_padding restores sizes that the stride floored away). The
 * weight's gradient is one MatMul over explicit im2col columns: the kh·kw shifted (strided) views
 * of the padded input, concatenated on the channel axis and laid out [N·Ho·Wo, kh·kw·C_in], times
 * dy as [C_out, N·Ho·Wo] — a GEMM with the batch and positions as its long inner dimension, which
 * MLAS runs near its peak. The alternative, a Conv over transposed tensors (the input as
 * [C_in, N, H, W] convolved with dy as a [C_out, N, Ho, Wo] kernel), measured 2–3× slower per
 * weight gradient in ORT 1.2x on the CPU: its output has only kh·kw positions, too few for its
 * GEMM to be efficient.
 */
export function conv(l: LayerGraph, x: string, weight: string, shape: ConvShape): Layer {
  const { g } = l;
  const { kernel: k, stride: s, pad: p, inChannels, outChannels, outHeight, outWidth } = shape;
  const y = g.conv(x, weight, undefined, { kernelShape: [k, k], strides: [s, s], pads: [p, p, p, p] });
  return {
    y,
    backward(dy, wantInput) {
      const padded = p === 0 ? x : l.node('Pad', [x, l.int64([0, 0, p, p, 0, 0, p, p])]);
      const views: string[] = [];
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          views.push(k === 1 && s === 1 ? padded : g.node('Slice', [padded, l.int64([a, b]), l.int64([a + s * (outHeight - 1) + 1, b + s * (outWidth - 1) + 1]), l.int64([2, 3]), l.int64([s, s])])[0]!);
        }
      }
      // Per image [k·k·C_in, Ho·Wo] · [Ho·Wo, C_out], summed over the batch: only dy (the smaller side) is transposed.
      const columns = g.reshape(views.length === 1 ? views[0]! : g.concat(views, 1), [0, k * k * inChannels, -1]);
      const dyT = g.transpose(g.reshape(dy, [0, outChannels, -1]), [0, 2, 1]);
      const dwT = g.reduceSum(g.matmul(columns, dyT), l.int64([0]), { keepdims: false });
      l.grad(weight, g.transpose(g.reshape(dwT, [k, k, inChannels, outChannels]), [3, 2, 0, 1]));
      if (!wantInput) return null;
      const outputPadding = [shape.inHeight - (s * (outHeight - 1) + k - 2 * p), shape.inWidth - (s * (outWidth - 1) + k - 2 * p)];
      return g.node('ConvTranspose', [dy, weight], {
        attributes: [attr.ints('kernel_shape', [k, k]), attr.ints('strides', [s, s]), attr.ints('pads', [p, p, p, p]), attr.ints('output_padding', outputPadding)],
      })[0]!;
    },
  };
}

/** The tensors of one batch normalisation: parameters, running statistics in, updated statistics out. */
export interface BnTensors {
  readonly scale: string;
  readonly bias: string;
  readonly mean: string;
  readonly variance: string;
  readonly channels: number;
}

/**
 * Batch normalisation in training mode: normalised by the batch's mean and (biased) variance per
 * channel; returns the running statistics updated as PyTorch does (r ← (1 − m)·r + m·s, the
 * variance unbiased by M / (M − 1), M = N·H·W). Backward by its formula, with x̂ the normalised
 * input: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
 */
export function batchNormTrain(l: LayerGraph, x: string, bn: BnTensors, momentum: number, epsilon: number): Layer & { newMean: string; newVariance: string } {
  const { g } = l;
  const mean = channelMean(l, x);
  const centered = g.sub(x, mean);
  const variance = channelMean(l, g.mul(centered, centered));
  const invStd = l.node('Reciprocal', [l.node('Sqrt', [g.add(variance, l.scalar(epsilon))])]);
  const normalized = g.mul(centered, invStd);
  const scale = g.reshape(bn.scale, [1, bn.channels, 1, 1]);
  const y = g.add(g.mul(normalized, scale), g.reshape(bn.bias, [1, bn.channels, 1, 1]));
  // M = N·H·W values per channel, read from the batch at run time.
  const count = g.node('Cast', [l.size(x)], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!;
  const perChannelCount = g.div(count, l.scalar(bn.channels));
  const unbias = g.div(perChannelCount, g.sub(perChannelCount, l.scalar(1)));
  const keep = l.scalar(1 - momentum);
  const take = l.scalar(momentum);
  const newMean = g.add(g.mul(bn.mean, keep), g.mul(g.reshape(mean, [bn.channels]), take));
  const newVariance = g.add(g.mul(bn.variance, keep), g.mul(g.mul(g.reshape(variance, [bn.channels]), unbias), take));
  return {
    y,
    newMean,
    newVariance,
    backward(dy) {
      const axes = l.int64([0, 2, 3]);
      const dyNormalized = g.mul(dy, normalized);
      l.grad(bn.bias, g.reduceSum(dy, axes, { keepdims: false }));
      l.grad(bn.scale, g.reduceSum(dyNormalized, axes, { keepdims: false }));
      const inner = g.sub(g.sub(dy, channelMean(l, dy)), g.mul(normalized, channelMean(l, dyNormalized)));
      return g.mul(inner, g.mul(scale, invStd));
    },
  };
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
      const positive = g.node('Greater', [y, l.scalar(0)], { outputTypes: ['bool'] })[0]!;
      return g.node('Where', [positive, dy, l.scalar(0)], { outputTypes: ['float32'] })[0]!;
    },
  };
}

/**
 * Max pooling (window = stride = size). Backward: MaxPool's Indices output (flat positions in the
 * whole [N, C, H, W] input) scatters dy into zeros of the input's size; windows do not overlap, so
 * no position receives two values.
 */
export function maxPool(l: LayerGraph, x: string, size: number): Layer {
  const { g } = l;
  const [y, indices] = g.node('MaxPool', [x], { attributes: [attr.ints('kernel_shape', [size, size]), attr.ints('strides', [size, size])], outputs: 2, outputTypes: ['float32', 'int64'] });
  return {
    y: y!,
    backward(dy) {
      const flat = l.int64([-1]);
      const zeros = g.node('ConstantOfShape', [l.size(x)], { outputTypes: ['float32'] })[0]!;
      const scattered = g.node('ScatterElements', [zeros, g.node('Reshape', [indices!, flat])[0]!, g.node('Reshape', [dy, flat])[0]!], { attributes: [attr.int('axis', 0)] })[0]!;
      return g.node('Reshape', [scattered, g.shape(x)])[0]!;
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
