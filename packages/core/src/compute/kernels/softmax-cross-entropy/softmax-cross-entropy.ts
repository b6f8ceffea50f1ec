import type { KernelDef } from '../../kernel.js';
import { softmaxCrossEntropyCpu } from './softmax-cross-entropy.cpu.js';
import { softmaxCrossEntropyDims, softmaxCrossEntropyOutputs, type SoftmaxCrossEntropyAttrs, type SoftmaxCrossEntropyInputs } from './softmax-cross-entropy.shape.js';
import { softmaxCrossEntropyWgsl } from './softmax-cross-entropy.wgsl.js';

export type { SoftmaxCrossEntropyAttrs } from './softmax-cross-entropy.shape.js';

/**
 * Softmax cross-entropy of each row against its label, and the gradient with respect to the
 * logits, in one pass:
 *   q = (1 − ε)·onehot(y) + ε / C,   loss_r = scale · s_r · w[y] · Σ_c q_c · (−log p_c),
 *   grad_r = scale · s_r · w[y] · (p − q).
 * The class weight w of the row's label weights the whole row (as scikit-learn's class_weight and
 * PyTorch's weighted mean do), and so does the row's own sample weight s_r (a mixup/cutmix copy is
 * two rows, one per source label, weighted λ and 1 − λ: the cross-entropy against the soft target).
 * Rows whose label is outside [0, C) (e.g. −1, unlabelled) give zero loss and zero gradient.
 */
export const softmaxCrossEntropy: KernelDef<SoftmaxCrossEntropyInputs, 'grad' | 'loss', SoftmaxCrossEntropyAttrs> = {
  name: 'softmax-cross-entropy',
  description: 'per-row softmax cross-entropy with label smoothing, class weights and row weights, and its gradient w.r.t. the logits',
  inputs: { logits: ['f32'], labels: ['i32'], weights: ['f32'], rowWeights: ['f32'] },
  outputs: softmaxCrossEntropyOutputs,
  cpu: (inputs, attrs, outputs) => {
    const dims = softmaxCrossEntropyDims(inputs, attrs);
    softmaxCrossEntropyCpu(inputs.logits.data as Float32Array, inputs.labels.data as Int32Array, inputs.weights.data as Float32Array, inputs.rowWeights.data as Float32Array, dims, attrs, outputs.grad as Float32Array, outputs.loss as Float32Array);
  },
  wgsl: softmaxCrossEntropyWgsl,
  tolerance: 1e-5,
};
