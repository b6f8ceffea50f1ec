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

/** Batch statistics per channel of [N, C, H, W]: ReduceMean over N, H, W (opset 17: axes as an attribute). */
function channelMean(l: LayerGraph, x: string): string {
  return l.node('ReduceMean', [x], [attr.ints('axes', [0, 2, 3]), attr.int('keepdims', 1)]);
}

/**
 * For each kernel offset (a, b) and output position (i, j), in that order, the input position
 * (i·s + a − p)·W + (j·s + b − p) it reads, or H·W (the appended zero row) where that falls in the
 * padding.
 */
function windowPositions(l: LayerGraph, { kernel: k, stride: s, pad: p, inHeight, inWidth, outHeight, outWidth }: ConvShape): string {
  const name = `const/im2col/${inHeight}x${inWidth}/k${k}s${s}p${p}`;
  if (l.g.has(name)) return name;
  const positions = new BigInt64Array(k * k * outHeight * outWidth);
  let at = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          const [row, column] = [i * s + a - p, j * s + b - p];
          positions[at++] = BigInt(row >= 0 && row < inHeight && column >= 0 && column < inWidth ? row * inWidth + column : inHeight * inWidth);
        }
      }
    }
  }
  return l.g.initializer(name, positions, [positions.length]);
}

/** im2col of `batchInnermost` (a [C_in, H, W, N] tensor in any shape of that layout): [C_in·kh·kw, Ho·Wo·N]. */
function im2col(l: LayerGraph, batchInnermost: string, shape: ConvShape): string {
  const { g } = l;
  const { kernel: k, stride: s, pad: p, inChannels, inHeight, inWidth } = shape;
  const rows = g.reshape(batchInnermost, [inChannels, inHeight * inWidth, -1]);
  if (k === 1 && s === 1 && p === 0) return g.reshape(rows, [inChannels, -1]);
  const withZeroRow = p === 0 ? rows : l.node('Pad', [rows, l.int64([0, 0, 0, 0, 1, 0])]);
  return g.reshape(g.node('Gather', [withZeroRow, windowPositions(l, shape)], { attributes: [attr.int('axis', 1)] })[0]!, [inChannels * k * k, -1]);
}

/**
 * Convolution without bias, as one GEMM over explicit im2col columns. The input is laid out
 * [C_in, H·W, N] (batch innermost) with one zero row appended for the padding, and ONE Gather of
 * precomputed positions (kh·kw · Ho·Wo of them) copies every window's pixels as runs of N floats
 * into columns [C_in·kh·kw, Ho·Wo·N] — 2–4× cheaper here than Pad + kh·kw strided Slices + Concat,
 * which copy rows of Wo floats twice. The weight [C_out, C_in·kh·kw] times them gives the output
 * as [C_out, Ho, Wo, N], transposed back. The whole batch is the GEMM's long dimension, which MLAS
 * runs near its peak where ORT's Conv makes a small GEMM per image (7×7 maps: 49 columns each),
 * and the backward reuses the same columns: the weight's gradient is dy as [C_out, Ho·Wo·N] times
 * their transpose, in the weight's own layout (a Conv over transposed tensors, the input convolved
 * with dy as its kernel, measured 2–3× slower: its GEMM has only kh·kw columns). The price is
 * memory: each convolution's columns, kh·kw times its input, live from the forward to the backward.
 * The input's gradient: for stride 1 the convolution of dy with the kernel's channels swapped and
 * its window turned by 180°, computed the same way (a batched GEMM over columns Gathered from dy,
 * already laid out batch-innermost for the weight's gradient) — about 0.9× the step time of ORT's
 * Conv, which is in turn 1.5–2.5× faster than ConvTranspose (its col2im is the slow part); for
 * larger strides ConvTranspose of dy with the same weight, strides and pads (output_padding
 * restores sizes that the stride floored away).
 */
export function conv(l: LayerGraph, x: string, weight: string, shape: ConvShape): Layer {
  const { g } = l;
  const { kernel: k, stride: s, pad: p, inChannels, outChannels, outHeight, outWidth } = shape;
  const columns = im2col(l, g.transpose(x, [1, 2, 3, 0]), shape);
  const product = g.matmul(g.reshape(weight, [outChannels, inChannels * k * k]), columns);
  const y = g.transpose(g.reshape(product, [outChannels, outHeight, outWidth, -1]), [3, 0, 1, 2]);
  return {
    y,
    backward(dy, wantInput) {
      const dyBatchInnermost = g.reshape(g.transpose(dy, [1, 2, 3, 0]), [outChannels, -1]);
      l.grad(weight, g.reshape(g.matmul(dyBatchInnermost, g.transpose(columns, [1, 0])), [outChannels, inChannels, k, k]));
      if (!wantInput) return null;
      if (s === 1) {
        // dy convolved with the kernel's channels swapped and its window turned by 180°, padded k − 1 − p: the same batched GEMM over Gathered columns of dy.
        const swapped = g.transpose(weight, [1, 0, 2, 3]);
        const turned = g.node('Slice', [swapped, l.int64([-1, -1]), l.int64([-(2 ** 31), -(2 ** 31)]), l.int64([2, 3]), l.int64([-1, -1])])[0]!;
        const reverse: ConvShape = { ...shape, inChannels: outChannels, outChannels: inChannels, pad: k - 1 - p, inHeight: outHeight, inWidth: outWidth, outHeight: shape.inHeight, outWidth: shape.inWidth };
        const dx = g.matmul(g.reshape(turned, [inChannels, outChannels * k * k]), im2col(l, dyBatchInnermost, reverse));
        return g.transpose(g.reshape(dx, [inChannels, shape.inHeight, shape.inWidth, -1]), [3, 0, 1, 2]);
      }
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
 * Few full-size passes, as they are what a step's time follows: the per-channel affine maps run
 * as ONNX BatchNormalization (one pass each; faster than a broadcast Sub or Mul), the forward
 * keeps only x − mean, and dx = a·dy + b·(x − mean) + c with per-channel a, b, c.
 */
export function batchNormTrain(l: LayerGraph, x: string, bn: BnTensors, momentum: number, epsilon: number): Layer & { newMean: string; newVariance: string } {
  const { g } = l;
  const mean = g.reshape(channelMean(l, x), [bn.channels]);
  const centered = affine(l, x, bn.channels, { bias: g.sub(l.scalar(0), mean) });
  const variance = g.reshape(channelMean(l, g.mul(centered, centered)), [bn.channels]);
  const y = affine(l, centered, bn.channels, { scale: bn.scale, bias: bn.bias, variance, epsilon });
  const invStd = l.node('Reciprocal', [l.node('Sqrt', [g.add(variance, l.scalar(epsilon))])]);
  // M = N·H·W values per channel, read from the batch at run time.
  const count = g.node('Cast', [l.size(x)], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!;
  const perChannelCount = g.div(count, l.scalar(bn.channels));
  const unbias = g.div(perChannelCount, g.sub(perChannelCount, l.scalar(1)));
  const keep = l.scalar(1 - momentum);
  const take = l.scalar(momentum);
  const newMean = g.add(g.mul(bn.mean, keep), g.mul(mean, take));
  const newVariance = g.add(g.mul(bn.variance, keep), g.mul(g.mul(variance, unbias), take));
  return {
    y,
    newMean,
    newVariance,
    backward(dy) {
      const axes = l.int64([0, 2, 3]);
      const dySum = g.reduceSum(dy, axes, { keepdims: false });
      const dyCenteredSum = g.reduceSum(g.mul(dy, centered), axes, { keepdims: false });
      l.grad(bn.bias, dySum);
      l.grad(bn.scale, g.mul(dyCenteredSum, invStd));
      // a = γ/σ, b = −γ/σ³ · Σ dy·(x − mean) / M, c = −γ/σ · Σ dy / M.
      const a = g.mul(bn.scale, invStd);
      const b = g.div(g.mul(g.mul(a, g.mul(invStd, invStd)), dyCenteredSum), g.sub(l.scalar(0), perChannelCount));
      const c = g.div(g.mul(a, dySum), g.sub(l.scalar(0), perChannelCount));
      return g.add(g.mul(dy, g.reshape(a, [1, bn.channels, 1, 1])), affine(l, centered, bn.channels, { scale: b, bias: c }));
    },
  };
}

/**
 * x · scale / √(variance + ε) + bias per channel of [N, C, H, W] in one pass: ONNX
 * BatchNormalization in inference mode with a zero mean (scale and variance default to ones, ε to 0).
 */
function affine(l: LayerGraph, x: string, channels: number, { scale, bias, variance, epsilon = 0 }: { scale?: string; bias: string; variance?: string; epsilon?: number }): string {
  const ones = l.filled(1, channels);
  return l.node('BatchNormalization', [x, scale ?? ones, bias, l.filled(0, channels), variance ?? ones], [attr.float('epsilon', epsilon)]);
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
      // dy · (y > 0) as a Mul by the mask cast to 0/1: ORT's Where with a scalar branch runs several times slower.
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
