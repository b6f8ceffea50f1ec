import { TrainError } from '../../errors.js';

/**
 * A convolutional network described by blocks, in order, then global average pooling (the
 * embedding) and one linear layer to the classes:
 * - `conv`: convolution (no bias) → batch normalisation → ReLU; padding kernel ÷ 2 ("same" at stride 1);
 * - `residual`: ResNet's basic block — conv 3×3 (stride) → BN → ReLU → conv 3×3 → BN, plus the
 *   input (through conv 1×1 (stride) → BN when the width or the stride changes), then ReLU;
 * - `maxpool` / `avgpool`: a size × size window moved by its size.
 */
export type CnnBlock =
  | { readonly kind: 'conv'; readonly channels: number; readonly kernel: number; readonly stride: number }
  | { readonly kind: 'residual'; readonly channels: number; readonly stride: number }
  | { readonly kind: 'maxpool'; readonly size: number }
  | { readonly kind: 'avgpool'; readonly size: number };

export const CNN_BLOCK_KINDS = ['conv', 'residual', 'maxpool', 'avgpool'] as const;

export interface CnnSpec {
  /** The preprocessed image: channels (1 gray, 3 RGB), height, width. */
  readonly inputChannels: number;
  readonly height: number;
  readonly width: number;
  readonly classes: number;
  readonly blocks: readonly CnnBlock[];
  /** Running statistics: r ← (1 − m)·r + m·batch statistic (PyTorch's convention; default 0.1). */
  readonly bnMomentum: number;
  /** BN's ε added to the variance (default 1e-5, PyTorch's). */
  readonly bnEpsilon: number;
}

/**
 * The documented default for small gray images (Fashion-MNIST's 28×28): a conv-bn-relu stem of 32
 * channels, max-pool to 14×14, a residual block of 64, max-pool to 7×7, a residual block of 128,
 * global average pooling (a 128-value embedding) and the linear classifier — a small ResNet of 5
 * convolutions (plus two 1×1 projections), about 0.3 M parameters and 23 M multiply-adds per
 * 28×28 image.
 */
export const SMALL_RESNET_BLOCKS: readonly CnnBlock[] = [
  { kind: 'conv', channels: 32, kernel: 3, stride: 1 },
  { kind: 'maxpool', size: 2 },
  { kind: 'residual', channels: 64, stride: 1 },
  { kind: 'maxpool', size: 2 },
  { kind: 'residual', channels: 128, stride: 1 },
];

/** One convolution of the network, with what its input and output look like. */
export interface ConvShape {
  /** Parameter name prefix: `block0.conv`, `block2.conv1`, `block2.shortcut`, ... */
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/** Spatial output size of a window of `kernel` moved by `stride` over `size` with `pad` on both sides. */
export function windowOutput(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

export function convShape(name: string, inChannels: number, outChannels: number, kernel: number, stride: number, inHeight: number, inWidth: number): ConvShape {
  const pad = Math.floor(kernel / 2);
  return { name, inChannels, outChannels, kernel, stride, pad, inHeight, inWidth, outHeight: windowOutput(inHeight, kernel, stride, pad), outWidth: windowOutput(inWidth, kernel, stride, pad) };
}

/** A block with the shapes it works on. */
export type PlannedBlock =
  | { readonly kind: 'conv'; readonly conv: ConvShape }
  | { readonly kind: 'residual'; readonly conv1: ConvShape; readonly conv2: ConvShape; readonly shortcut: ConvShape | null }
  | { readonly kind: 'maxpool' | 'avgpool'; readonly size: number; readonly channels: number; readonly inHeight: number; readonly inWidth: number; readonly outHeight: number; readonly outWidth: number };

export interface CnnPlan {
  readonly blocks: readonly PlannedBlock[];
  /** Channels after the last block: the embedding's width. */
  readonly embeddingDim: number;
}

/** The shapes of every block; throws TrainError('TRAIN_INVALID_OPTIONS') naming the first block that does not fit. */
export function planCnn(spec: CnnSpec): CnnPlan {
  validateCnnSpec(spec);
  let channels = spec.inputChannels;
  let height = spec.height;
  let width = spec.width;
  const blocks: PlannedBlock[] = [];
  spec.blocks.forEach((block, b) => {
    const fail = (why: string) => new TrainError('TRAIN_INVALID_OPTIONS', `cnn block ${b} (${block.kind}) ${why}`);
    if (block.kind === 'conv') {
      const conv = convShape(`block${b}.conv`, channels, block.channels, block.kernel, block.stride, height, width);
      if (conv.outHeight < 1 || conv.outWidth < 1) throw fail(`makes the ${height}×${width} input empty`);
      blocks.push({ kind: 'conv', conv });
      ({ outChannels: channels, outHeight: height, outWidth: width } = conv);
    } else if (block.kind === 'residual') {
      const conv1 = convShape(`block${b}.conv1`, channels, block.channels, 3, block.stride, height, width);
      if (conv1.outHeight < 1 || conv1.outWidth < 1) throw fail(`makes the ${height}×${width} input empty`);
      const conv2 = convShape(`block${b}.conv2`, block.channels, block.channels, 3, 1, conv1.outHeight, conv1.outWidth);
      const projected = block.stride !== 1 || channels !== block.channels;
      const shortcut = projected ? { ...convShape(`block${b}.shortcut`, channels, block.channels, 1, block.stride, height, width), pad: 0 } : null;
      blocks.push({ kind: 'residual', conv1, conv2, shortcut });
      ({ outChannels: channels, outHeight: height, outWidth: width } = conv2);
    } else {
      const outHeight = windowOutput(height, block.size, block.size, 0);
      const outWidth = windowOutput(width, block.size, block.size, 0);
      if (outHeight < 1 || outWidth < 1) throw fail(`window ${block.size} is larger than its ${height}×${width} input`);
      blocks.push({ kind: block.kind, size: block.size, channels, inHeight: height, inWidth: width, outHeight, outWidth });
      height = outHeight;
      width = outWidth;
    }
  });
  return { blocks, embeddingDim: channels };
}

export function validateCnnSpec(spec: CnnSpec): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', message);
  const positive = (value: number) => Number.isInteger(value) && value >= 1;
  if (!positive(spec.inputChannels) || !positive(spec.height) || !positive(spec.width)) throw bad(`cnn input ${spec.inputChannels}×${spec.height}×${spec.width} must be positive integers`);
  if (!Number.isInteger(spec.classes) || spec.classes < 2) throw bad(`cnn classes ${spec.classes} must be an integer ≥ 2`);
  if (!(spec.bnMomentum > 0 && spec.bnMomentum <= 1)) throw bad(`cnn bnMomentum ${spec.bnMomentum} must be in (0, 1]`);
  if (!(spec.bnEpsilon > 0)) throw bad(`cnn bnEpsilon ${spec.bnEpsilon} must be > 0`);
  if (spec.blocks.length === 0) throw bad('cnn blocks: give at least one block');
  spec.blocks.forEach((block, b) => {
    if (!CNN_BLOCK_KINDS.includes(block.kind)) throw bad(`cnn block ${b}: kind "${(block as { kind: string }).kind}" is not one of ${CNN_BLOCK_KINDS.join(', ')}`);
    const values = block.kind === 'conv' ? [block.channels, block.kernel, block.stride] : block.kind === 'residual' ? [block.channels, block.stride] : [block.size];
    if (!values.every(positive)) throw bad(`cnn block ${b} (${block.kind}): ${JSON.stringify(block)} needs positive integers`);
  });
  if (!spec.blocks.some((block) => block.kind === 'conv' || block.kind === 'residual')) throw bad('cnn blocks: give at least one conv or residual block');
}
