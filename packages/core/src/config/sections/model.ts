import * as z from 'zod';
import { MAX_HIDDEN_LAYERS } from '../limits.js';

// One variant per head: MLP options only exist on the mlp head, knn options on the knn head.

const softmaxHead = z.strictObject({
  head: z.literal('softmax').describe('linear layer + softmax (multinomial logistic regression)'),
});

const mlpHead = z.strictObject({
  head: z.literal('mlp').describe('multi-layer perceptron over the features'),
  hidden: z.array(z.int().positive()).min(1).max(MAX_HIDDEN_LAYERS).default([256]).describe(`hidden layer widths (at most ${MAX_HIDDEN_LAYERS} layers)`),
  activation: z.enum(['relu', 'gelu']).default('relu').describe('activation between layers'),
  dropout: z.number().min(0).lt(1).default(0.1).describe('dropout probability after each hidden layer'),
});

const knnHead = z.strictObject({
  head: z.literal('knn').describe('k-nearest neighbours vote over the vector index (no training)'),
  knn: z
    .strictObject({
      k: z.int().positive().default(5).describe('neighbours that vote'),
      weighting: z.enum(['uniform', 'distance']).default('distance').describe('equal votes, or votes weighted by similarity'),
    })
    .prefault({})
    .describe('knn options'),
});

// A CNN's blocks, in order; global average pooling (the embedding) and the classifier follow them.
const cnnBlock = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('conv').describe('convolution → batch norm → ReLU'),
    channels: z.int().positive().max(4096).describe('output channels'),
    kernel: z.int().positive().max(15).default(3).describe('kernel side (padding kernel ÷ 2)'),
    stride: z.int().positive().max(8).default(1).describe('stride'),
  }),
  z.strictObject({
    kind: z.literal('residual').describe("ResNet's basic block: two 3×3 conv-bn, ReLU between, the input added (through a 1×1 conv-bn when width or stride change), ReLU"),
    channels: z.int().positive().max(4096).describe('output channels'),
    stride: z.int().positive().max(8).default(1).describe('stride of the first conv (and the shortcut)'),
  }),
  z.strictObject({ kind: z.literal('maxpool').describe('max pooling'), size: z.int().min(2).max(8).default(2).describe('window side, also its stride') }),
  z.strictObject({ kind: z.literal('avgpool').describe('average pooling'), size: z.int().min(2).max(8).default(2).describe('window side, also its stride') }),
]);

const cnnHead = z.strictObject({
  head: z.literal('cnn').describe("a convolutional network trained end to end on the preprocessed pixels (features.kind must be pixels) on the run's compute.device: ONNX Runtime step graphs on the CPU, the tape's kernels on WebGPU; its pooled penultimate layer is the embedding"),
  cnn: z
    .strictObject({
      blocks: z
        .array(cnnBlock)
        .min(1)
        .max(64)
        .default([
          { kind: 'conv', channels: 32, kernel: 3, stride: 1 },
          { kind: 'maxpool', size: 2 },
          { kind: 'residual', channels: 64, stride: 1 },
          { kind: 'maxpool', size: 2 },
          { kind: 'residual', channels: 128, stride: 1 },
        ])
        .describe('the blocks in order; default: a small ResNet for 28×28 gray images (conv 32, max-pool, residual 64, max-pool, residual 128: a 128-value embedding)'),
      bnMomentum: z.number().gt(0).max(1).default(0.1).describe("batch norm running statistics' momentum (PyTorch's convention)"),
      threads: z.int().min(0).max(256).default(0).describe('ONNX Runtime threads per training step on the CPU (0: one per physical core)'),
    })
    .prefault({})
    .describe('cnn options'),
});

export const modelSchema = z
  .discriminatedUnion('head', [softmaxHead, mlpHead, knnHead, cnnHead])
  .prefault({ head: 'softmax' })
  .describe('the trained model: a head over frozen features, exported as an ONNX graph, or a CNN trained on the pixels');
