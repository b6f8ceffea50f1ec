import { ShapeError } from '../../../errors.js';
import type { KernelDef, Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { softmaxCrossEntropyCpu } from './softmax-cross-entropy.cpu.js';

export interface SoftmaxCrossEntropyAttrs {
  /** ε: the target puts 1 − ε on the true class plus ε / C on every class (default 0). */
  readonly labelSmoothing?: number;
  /** Multiplies every row's loss and gradient, e.g. 1 / Σ_r s_r·w[y_r] (row weight × class weight of its label) for a weighted batch mean (default 1). */
  readonly scale?: number;
}

type Inputs = 'logits' | 'labels' | 'weights' | 'rowWeights';

export function softmaxCrossEntropyDims({ logits, labels, weights, rowWeights }: Specs<Inputs>, { labelSmoothing = 0 }: SoftmaxCrossEntropyAttrs): { rows: number; classes: number } {
  if (logits.shape.length !== 2) throw new ShapeError(`kernel "softmax-cross-entropy": logits ${formatShape(logits.shape)} must be [rows, classes]`);
  const [rows, classes] = logits.shape as [number, number];
  if (labels.shape.length !== 1 || labels.shape[0] !== rows) {
    throw new ShapeError(`kernel "softmax-cross-entropy": labels ${formatShape(labels.shape)} must be [${rows}], one per row of logits ${formatShape(logits.shape)}`);
  }
  if (weights.shape.length !== 1 || weights.shape[0] !== classes) {
    throw new ShapeError(`kernel "softmax-cross-entropy": weights ${formatShape(weights.shape)} must be [${classes}], one per class`);
  }
  if (rowWeights.shape.length !== 1 || rowWeights.shape[0] !== rows) {
    throw new ShapeError(`kernel "softmax-cross-entropy": rowWeights ${formatShape(rowWeights.shape)} must be [${rows}], one per row of logits ${formatShape(logits.shape)}`);
  }
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ShapeError(`kernel "softmax-cross-entropy": labelSmoothing ${labelSmoothing} must be in [0, 1)`);
  return { rows, classes };
}

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
export const softmaxCrossEntropy: KernelDef<Inputs, 'grad' | 'loss', SoftmaxCrossEntropyAttrs> = {
  name: 'softmax-cross-entropy',
  description: 'per-row softmax cross-entropy with label smoothing, class weights and row weights, and its gradient w.r.t. the logits',
  inputs: { logits: ['f32'], labels: ['i32'], weights: ['f32'], rowWeights: ['f32'] },
  outputs: (inputs, attrs) => {
    const { rows, classes } = softmaxCrossEntropyDims(inputs, attrs);
    return { grad: { shape: [rows, classes], dtype: 'f32' }, loss: { shape: [rows], dtype: 'f32' } };
  },
  cpu: (inputs, attrs, outputs) => {
    const dims = softmaxCrossEntropyDims(inputs, attrs);
    softmaxCrossEntropyCpu(inputs.logits.data as Float32Array, inputs.labels.data as Int32Array, inputs.weights.data as Float32Array, inputs.rowWeights.data as Float32Array, dims, attrs, outputs.grad as Float32Array, outputs.loss as Float32Array);
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { classes: 'u32', smoothing: 'f32', scale: 'f32' },
    uniformValues: (inputs, attrs) => ({ classes: softmaxCrossEntropyDims(inputs, attrs).classes, smoothing: attrs.labelSmoothing ?? 0, scale: attrs.scale ?? 1 }),
    launch: (inputs, attrs) => ({ kind: 'elementwise', invocations: softmaxCrossEntropyDims(inputs, attrs).rows }),
    body: () => `
  let c_count = params.classes;
  let base = i * c_count;
  let y = raw_labels(i);
  if (y < 0 || u32(y) >= c_count) {
    for (var c = 0u; c < c_count; c++) { grad[base + c] = 0.0; }
    loss[i] = 0.0;
    return;
  }
  var top = load_logits(base);
  for (var c = 1u; c < c_count; c++) { top = max(top, load_logits(base + c)); }
  var sum = 0.0;
  for (var c = 0u; c < c_count; c++) { sum += exp(load_logits(base + c) - top); }
  let log_sum = log(sum);
  let w = params.scale * load_rowWeights(i) * load_weights(u32(y));
  let off = params.smoothing / f32(c_count);
  var total = 0.0;
  for (var c = 0u; c < c_count; c++) {
    let shifted = load_logits(base + c) - top;
    var q = off;
    if (c == u32(y)) { q += 1.0 - params.smoothing; }
    total += q * (log_sum - shifted);
    grad[base + c] = w * (exp(shifted) / sum - q);
  }
  loss[i] = w * total;`,
  },
  tolerance: 1e-5,
};
