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

export const modelSchema = z
  .discriminatedUnion('head', [softmaxHead, mlpHead, knnHead])
  .prefault({ head: 'softmax' })
  .describe('the trained head over frozen features, exported as an ONNX graph');
