import { attr } from '../../onnx/graph-builder.js';
import type { BnTensors, Layer, LayerGraph } from './cnn-graph-layers.js';
import type { ConvShape } from './cnn-spec.js';

/**
 * The training step graph's layers in ONE activation layout from the input to global average
 * pooling: [1, C, H·W, N], batch innermost. It is the layout the im2col GEMM reads and writes, so
 * a convolution's output, its output gradient, its input gradient and the weight gradient's
 * columns need no Transpose (each used to cost a full copy, 9× the input for the columns); BN
 * sees [1, C, spatial] (ONNX BatchNormalization's own layout, with N = 1) and reduces contiguous
 * rows per channel; pools run as 3-D pools with a window of 1 along the batch.
 */

/** The images [N, C, H, W] in the step layout [1, C, H·W, N] (one small Transpose per step). */
export function toStepLayout(l: LayerGraph, x: string, channels: number, area: number): string {
  return l.g.reshape(l.g.transpose(x, [1, 2, 3, 0]), [1, channels, area, -1]);
}

/** Batch statistics per channel of [1, C, H·W, N]: ReduceMean over everything but C (opset 17: axes as an attribute). */
function channelMean(l: LayerGraph, x: string): string {
  return l.node('ReduceMean', [x], [attr.ints('axes', [0, 2, 3]), attr.int('keepdims', 0)]);
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

/** im2col of `x` in the step layout: columns [C_in·kh·kw, Ho·Wo·N]. */
function im2col(l: LayerGraph, x: string, shape: ConvShape): string {
  const { g } = l;
  const { kernel: k, stride: s, pad: p, inChannels, inHeight, inWidth } = shape;
  const rows = g.reshape(x, [inChannels, inHeight * inWidth, -1]);
  if (k === 1 && s === 1 && p === 0) return g.reshape(rows, [inChannels, -1]);
  const withZeroRow = p === 0 ? rows : l.node('Pad', [rows, l.int64([0, 0, 0, 0, 1, 0])]);
  return g.reshape(g.node('Gather', [withZeroRow, windowPositions(l, shape)], { attributes: [attr.int('axis', 1)] })[0]!, [inChannels * k * k, -1]);
}

/**
 * Convolution without bias. For stride 1 the forward is ONE ORT Conv over the batch seen as a single
 * image [1, C_in, H, W·N] with dilation N along its width (dilatedConv), so MLAS expands its im2col
 * columns in cache-sized pieces with the whole batch as the GEMM's long side. The weight's gradient
 * needs the columns: ONE Gather of precomputed positions (kh·kw · Ho·Wo of them) copies every
 * window's pixels as runs of N floats into columns [C_in·kh·kw, Ho·Wo·N] (a zero row appended to
 * the input stands for the padding), made in the backward, so they do not live from the forward to
 * it; the gradient is computed transposed, columns times dyᵀ (a Gemm with transB), so MLAS packs
 * dy, not the kh·kw times larger columns (0.8× the Gemm's time), and a small Transpose turns it.
 * For larger strides (and 1×1 kernels, whose columns are the input) the forward is the weight
 * [C_out, C_in·kh·kw] times the columns, already in the step layout.
 * The input's gradient for stride 1 is the convolution of dy with the kernel's channels swapped and
 * its window turned by 180°, padded k − 1 − p: the same dilated Conv over dy [1, C_out, Ho, Wo·N]
 * (about 0.75× the Pad + Gather + MatMul it replaced, the same values). `batch` is N (the dilation
 * is an attribute: one graph per batch size). For larger strides ConvTranspose of dy (NCHW,
 * transposed there and back) with the same weight, strides and pads (output_padding restores sizes
 * that the stride floored away).
 * The backward takes dy as z ⊙ scale, a per-output-channel scale (batch normalisation's γ/σ),
 * given apart: it multiplies the weight and the weight's gradient (a few thousand values) instead
 * of a full-size pass over dy.
 */
function conv(l: LayerGraph, x: string, weight: string, shape: ConvShape, batch: number): ScaledLayer {
  const { g } = l;
  const { kernel: k, stride: s, pad: p, inChannels, outChannels, outHeight, outWidth } = shape;
  const dilated = s === 1 && k > 1;
  const forwardColumns = dilated ? null : im2col(l, x, shape);
  const y = dilated
    ? g.reshape(dilatedConv(l, g.reshape(x, [1, inChannels, shape.inHeight, -1]), weight, k, p, batch), [1, outChannels, outHeight * outWidth, -1])
    : g.reshape(g.matmul(g.reshape(weight, [outChannels, inChannels * k * k]), forwardColumns!), [1, outChannels, outHeight * outWidth, -1]);
  const inArea = shape.inHeight * shape.inWidth;
  return {
    y,
    backward(dy, scale, wantInput) {
      const dyRows = g.reshape(dy, [outChannels, -1]);
      const columns = forwardColumns ?? im2col(l, x, shape);
      // dWᵀ [C_in·kh·kw, C_out] turned as 3-D: ORT folds a 2-D Transpose of a Gemm back into the Gemm that packs the columns.
      const product = g.gemm(columns, dyRows, undefined, { transB: true });
      const weightGradientT = g.reshape(scale ? g.mul(product, scale) : product, [inChannels, k * k, outChannels]);
      l.grad(weight, g.reshape(g.transpose(weightGradientT, [2, 0, 1]), [outChannels, inChannels, k, k]));
      if (!wantInput) return null;
      const scaledWeight = scale ? g.mul(weight, g.reshape(scale, [outChannels, 1, 1, 1])) : weight;
      if (s === 1) {
        const swapped = g.reshape(g.transpose(scaledWeight, [1, 0, 2, 3]), [-1, k * k]);
        const turned = g.reshape(g.matmul(swapped, windowReversal(l, k)), [inChannels, outChannels, k, k]);
        const dx = dilatedConv(l, g.reshape(dy, [1, outChannels, outHeight, outWidth * batch]), turned, k, k - 1 - p, batch);
        return g.reshape(dx, [1, inChannels, inArea, batch]);
      }
      const outputPadding = [shape.inHeight - (s * (outHeight - 1) + k - 2 * p), shape.inWidth - (s * (outWidth - 1) + k - 2 * p)];
      const dyImages = g.transpose(g.reshape(dy, [outChannels, outHeight, outWidth, -1]), [3, 0, 1, 2]);
      const dx = g.node('ConvTranspose', [dyImages, scaledWeight], {
        attributes: [attr.ints('kernel_shape', [k, k]), attr.ints('strides', [s, s]), attr.ints('pads', [p, p, p, p]), attr.ints('output_padding', outputPadding)],
      })[0]!;
      return toStepLayout(l, dx, inChannels, inArea);
    },
  };
}

/**
 * The k²×k² permutation that reverses a window's k² values: a MatMul by it turns the kernel by
 * 180° exactly (each output is one input times 1, plus zeros), at half the time of ORT's Slice
 * with negative steps.
 */
function windowReversal(l: LayerGraph, k: number): string {
  const name = `const/f32/window-reversal/${k}`;
  if (l.g.has(name)) return name;
  const permutation = new Float32Array(k ** 4);
  for (let i = 0; i < k * k; i++) permutation[i * k * k + (k * k - 1 - i)] = 1;
  return l.g.initializer(name, permutation, [k * k, k * k]);
}

/** A stride-1 convolution of the batch seen as ONE image [1, C, H, W·N]: dilation N along the width, padding p·N. */
function dilatedConv(l: LayerGraph, images: string, weight: string, k: number, pad: number, batch: number): string {
  return l.g.node('Conv', [images, weight], { attributes: [attr.ints('kernel_shape', [k, k]), attr.ints('dilations', [1, batch]), attr.ints('pads', [pad, pad * batch, pad, pad * batch])] })[0]!;
}

/** A layer whose backward takes its output's gradient as z ⊙ scale (scale per channel, null: 1). */
interface ScaledLayer {
  readonly y: string;
  backward(z: string, scale: string | null, wantInput: boolean): string | null;
}

/** A convolution and its batch normalisation as one layer: BN's backward hands the conv z and γ/σ apart (see conv). */
export function convBatchNorm(l: LayerGraph, x: string, weight: string, shape: ConvShape, batch: number, bn: BnTensors, momentum: number, epsilon: number): Layer & { newMean: string; newVariance: string } {
  const convolved = conv(l, x, weight, shape, batch);
  const normalized = batchNormTrain(l, convolved.y, bn, momentum, epsilon);
  return {
    y: normalized.y,
    newMean: normalized.newMean,
    newVariance: normalized.newVariance,
    backward(dy, wantInput) {
      const { z, scale } = normalized.backward(dy);
      return convolved.backward(z, scale, wantInput);
    },
  };
}

/**
 * Batch normalisation in training mode: normalised by the batch's mean and (biased) variance per
 * channel; returns the running statistics updated as PyTorch does (r ← (1 − m)·r + m·s, the
 * variance unbiased by M / (M − 1), M = N·H·W). Backward by its formula, with x̂ the normalised
 * input: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
 * Few full-size passes, as they are what a step's time follows: the per-channel affine maps run
 * as ONNX BatchNormalization (one pass each; faster than a broadcast Sub or Mul), the forward
 * keeps only x − mean, its variance is ReduceSum of its square (ORT's ReduceSumSquare takes a
 * generic path: 2.5× the time of Mul and ReduceSum, and 10× their rounding error over 10⁵ values),
 * and the backward returns dx as z ⊙ scale with
 * z = dy + b·(x − mean) + c and scale = γ/σ per channel, so the convolution before it applies
 * the scale to its weights rather than to dy.
 */
function batchNormTrain(l: LayerGraph, x: string, bn: BnTensors, momentum: number, epsilon: number) {
  const { g } = l;
  const mean = channelMean(l, x);
  const centered = affine(l, x, bn.channels, { bias: g.sub(l.scalar(0), mean) });
  // M = N·H·W values per channel, read from the batch at run time.
  const count = g.node('Cast', [l.size(x)], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!;
  const perChannelCount = g.div(count, l.scalar(bn.channels));
  const variance = g.div(g.reduceSum(g.mul(centered, centered), l.int64([0, 2, 3]), { keepdims: false }), perChannelCount);
  const y = affine(l, centered, bn.channels, { scale: bn.scale, bias: bn.bias, variance, epsilon });
  const invStd = l.node('Reciprocal', [l.node('Sqrt', [g.add(variance, l.scalar(epsilon))])]);
  const unbias = g.div(perChannelCount, g.sub(perChannelCount, l.scalar(1)));
  const keep = l.scalar(1 - momentum);
  const take = l.scalar(momentum);
  const newMean = g.add(g.mul(bn.mean, keep), g.mul(mean, take));
  const newVariance = g.add(g.mul(bn.variance, keep), g.mul(g.mul(variance, unbias), take));
  return {
    y,
    newMean,
    newVariance,
    backward(dy: string) {
      const axes = l.int64([0, 2, 3]);
      const dySum = g.reduceSum(dy, axes, { keepdims: false });
      const dyCenteredSum = g.reduceSum(g.mul(dy, centered), axes, { keepdims: false });
      l.grad(bn.bias, dySum);
      l.grad(bn.scale, g.mul(dyCenteredSum, invStd));
      // dx = (γ/σ) ⊙ z, z = dy + b·(x − mean) + c: b = −Σ dy·(x − mean) / (σ²·M), c = −Σ dy / M.
      const b = g.div(g.mul(g.mul(invStd, invStd), dyCenteredSum), g.sub(l.scalar(0), perChannelCount));
      const c = g.div(dySum, g.sub(l.scalar(0), perChannelCount));
      return { z: g.add(dy, affine(l, centered, bn.channels, { scale: b, bias: c })), scale: g.mul(bn.scale, invStd) };
    },
  };
}

/**
 * x · scale / √(variance + ε) + bias per channel of [1, C, H·W, N] in one pass: ONNX
 * BatchNormalization in inference mode with a zero mean (scale and variance default to ones, ε to 0).
 */
function affine(l: LayerGraph, x: string, channels: number, { scale, bias, variance, epsilon = 0 }: { scale?: string; bias: string; variance?: string; epsilon?: number }): string {
  const ones = l.filled(1, channels);
  return l.node('BatchNormalization', [x, scale ?? ones, bias, l.filled(0, channels), variance ?? ones], [attr.float('epsilon', epsilon)]);
}

/** A pooling block's sizes: window = stride = size; the input's rows and columns past the last whole window are dropped. */
export interface PoolShape {
  readonly size: number;
  readonly channels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/** [1, C, H·W, N] as the 3-D pool input [1, C, H, W, N], and the window that pools H and W but not N. */
function pool3d(l: LayerGraph, x: string, { size, channels, inHeight, inWidth }: PoolShape) {
  return { x: l.g.reshape(x, [1, channels, inHeight, inWidth, -1]), window: [attr.ints('kernel_shape', [size, size, 1]), attr.ints('strides', [size, size, 1])] };
}

/**
 * Max pooling as a Gather of each window's size² values (the im2col positions of a size×size
 * kernel with stride size: [C, size², Ho·Wo, N]), their ReduceMax and ArgMax over the window axis
 * (the first of tied maxima, the one PyTorch picks). Backward: dy where the window's position
 * equals the ArgMax, zeros elsewhere, computed in the input's own order [C, Ho, size, Wo, size, N]
 * by broadcasting (no Gather back; zeros Padded for the rows and columns the floor dropped). ORT's
 * MaxPool with its Indices output and MaxUnpool took twice as long (forward and backward of the
 * bench network's pools, 1 and 2 threads).
 */
export function maxPool(l: LayerGraph, x: string, shape: PoolShape): Layer {
  const { g } = l;
  const { size, channels, inHeight, inWidth, outHeight, outWidth } = shape;
  const window = size * size;
  const outArea = outHeight * outWidth;
  const inArea = inHeight * inWidth;
  const windows: ConvShape = { name: 'maxpool', inChannels: channels, outChannels: channels, kernel: size, stride: size, pad: 0, inHeight, inWidth, outHeight, outWidth };
  const columns = g.reshape(g.node('Gather', [g.reshape(x, [channels, inArea, -1]), windowPositions(l, windows)], { attributes: [attr.int('axis', 1)] })[0]!, [channels, window, outArea, -1]);
  const y = g.reshape(l.node('ReduceMax', [columns], [attr.ints('axes', [1]), attr.int('keepdims', 0)]), [1, channels, outArea, -1]);
  const argMax = l.node('ArgMax', [columns], [attr.int('axis', 1), attr.int('keepdims', 1)]);
  return {
    y,
    backward(dy) {
      // In the input's order [C, Ho, a, Wo, b, N]: the window's ArgMax against each position's offset a·size + b.
      const offsetsName = `const/i64/window-offsets/${size}`;
      const offsets = g.has(offsetsName) ? offsetsName : g.initializer(offsetsName, BigInt64Array.from({ length: window }, (_, i) => BigInt(i)), [1, 1, size, 1, size, 1]);
      const hit = g.node('Equal', [g.reshape(argMax, [channels, outHeight, 1, outWidth, 1, -1]), offsets], { outputTypes: ['bool'] })[0]!;
      const routed = g.mul(g.node('Cast', [hit], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!, g.reshape(dy, [channels, outHeight, 1, outWidth, 1, -1]));
      const covered = g.reshape(routed, [channels, outHeight * size, outWidth * size, -1]);
      const [rows, columns] = [inHeight - outHeight * size, inWidth - outWidth * size];
      const dx = rows === 0 && columns === 0 ? covered : l.node('Pad', [covered, l.int64([0, 0, 0, 0, 0, rows, columns, 0])]);
      return g.reshape(dx, [1, channels, inArea, -1]);
    },
  };
}

/**
 * Average pooling. Backward: dy / size² broadcast over each window (Expand of [C, Ho, 1, Wo, 1, N]
 * to [C, Ho, size, Wo, size, N]), zeros Padded where the forward dropped rows or columns.
 */
export function averagePool(l: LayerGraph, x: string, shape: PoolShape): Layer {
  const { g } = l;
  const { size, channels, inHeight, inWidth, outHeight, outWidth } = shape;
  const pool = pool3d(l, x, shape);
  const y = g.reshape(g.node('AveragePool', [pool.x], { attributes: pool.window })[0]!, [1, channels, outHeight * outWidth, -1]);
  return {
    y,
    backward(dy) {
      const spread = g.expand(g.reshape(g.mul(dy, l.scalar(1 / (size * size))), [channels, outHeight, 1, outWidth, 1, -1]), l.int64([1, 1, size, 1, size, 1]));
      const covered = g.reshape(spread, [channels, outHeight * size, outWidth * size, -1]);
      const [rows, columns] = [inHeight - outHeight * size, inWidth - outWidth * size];
      const full = rows === 0 && columns === 0 ? covered : l.node('Pad', [covered, l.int64([0, 0, 0, 0, 0, rows, columns, 0])]);
      return g.reshape(full, [1, channels, inHeight * inWidth, -1]);
    },
  };
}

/** Global average pooling of [1, C, H·W, N] to the embedding [N, C]; backward spreads dy/(H·W) over every position (Expand). */
export function globalAveragePool(l: LayerGraph, x: string, channels: number, area: number): Layer {
  const { g } = l;
  const y = g.transpose(l.node('ReduceMean', [x], [attr.ints('axes', [0, 2]), attr.int('keepdims', 0)]), [1, 0]);
  return {
    y,
    backward(dy) {
      return g.expand(g.reshape(g.transpose(g.mul(dy, l.scalar(1 / area)), [1, 0]), [1, channels, 1, -1]), l.int64([1, 1, area, 1]));
    },
  };
}
