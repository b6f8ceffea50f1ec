import type { KernelCases } from '../../kernel.js';
import { softmaxCrossEntropy, type SoftmaxCrossEntropyAttrs } from './softmax-cross-entropy.js';

const { LN2, log } = Math;
const ones = (rows: number) => ({ shape: [rows], dtype: 'f32' as const, data: new Array<number>(rows).fill(1) });

export const softmaxCrossEntropyCases: KernelCases<SoftmaxCrossEntropyAttrs> = {
  kernel: softmaxCrossEntropy,
  cases: [
    {
      name: 'equal logits: ln 2 and ∓½',
      inputs: { logits: { shape: [1, 2], dtype: 'f32', data: [0, 0] }, labels: { shape: [1], dtype: 'i32', data: [0] }, weights: { shape: [2], dtype: 'f32', data: [1, 1] }, rowWeights: ones(1) },
      attrs: {},
      expected: { grad: [-0.5, 0.5], loss: [LN2] },
    },
    {
      name: 'label smoothing 0.2 moves the target to [0.1, 0.9]',
      inputs: { logits: { shape: [1, 2], dtype: 'f32', data: [log(3), 0] }, labels: { shape: [1], dtype: 'i32', data: [1] }, weights: { shape: [2], dtype: 'f32', data: [1, 1] }, rowWeights: ones(1) },
      attrs: { labelSmoothing: 0.2 },
      expected: { grad: [0.65, -0.65], loss: [-0.1 * log(0.75) - 0.9 * log(0.25)] },
    },
    {
      name: 'class weights and scale weight whole rows; label −1 is ignored',
      inputs: {
        logits: { shape: [3, 2], dtype: 'f32', data: [0, 0, 0, 0, 5, -5] },
        labels: { shape: [3], dtype: 'i32', data: [0, 1, -1] },
        weights: { shape: [2], dtype: 'f32', data: [2, 0.5] },
        rowWeights: ones(3),
      },
      attrs: { scale: 0.4 },
      expected: { grad: [-0.4, 0.4, 0.1, -0.1, 0, 0], loss: [0.8 * LN2, 0.2 * LN2, 0] },
    },
    {
      name: 'large logits do not overflow',
      inputs: { logits: { shape: [1, 3], dtype: 'f32', data: [1000, 1000, 1000] }, labels: { shape: [1], dtype: 'i32', data: [2] }, weights: { shape: [3], dtype: 'f32', data: [1, 1, 1] }, rowWeights: ones(1) },
      attrs: {},
      expected: { grad: [1 / 3, 1 / 3, -2 / 3], loss: [log(3)] },
    },
    {
      // A mixup copy as two rows (label 0, λ = ¾) and (label 1, ¼), then a row of weight 0; the class
      // weights multiply on top: row scales are 0.5·¾·2, 0.5·¼·4 and 0.
      name: 'row weights scale whole rows (times class weight and scale); weight 0 silences a row',
      inputs: {
        logits: { shape: [3, 2], dtype: 'f32', data: [0, 0, 0, 0, 3, -1] },
        labels: { shape: [3], dtype: 'i32', data: [0, 1, 0] },
        weights: { shape: [2], dtype: 'f32', data: [2, 4] },
        rowWeights: { shape: [3], dtype: 'f32', data: [0.75, 0.25, 0] },
      },
      attrs: { scale: 0.5 },
      expected: { grad: [-0.375, 0.375, 0.25, -0.25, 0, 0], loss: [0.75 * LN2, 0.5 * LN2, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 300);
    const classes = rng.int(1, 40);
    return [
      {
        name: 'random logits, labels, class and row weights, and smoothing',
        inputs: {
          logits: { shape: [rows, classes], dtype: 'f32', data: rng.floats(rows * classes, -8, 8) },
          labels: { shape: [rows], dtype: 'i32', data: Int32Array.from({ length: rows }, () => rng.int(-1, classes - 1)) },
          weights: { shape: [classes], dtype: 'f32', data: rng.floats(classes, 0.1, 3) },
          rowWeights: { shape: [rows], dtype: 'f32', data: rng.floats(rows, 0, 2) },
        },
        attrs: { labelSmoothing: rng.uniform(0, 0.3), scale: 1 / rows },
      },
    ];
  },
};
