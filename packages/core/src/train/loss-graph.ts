import { attr, type OnnxGraphBuilder } from '../onnx/graph-builder.js';

/** The loss's inputs in a training graph: labels [batch] int32 (−1: unlabelled), classWeights [classes], rowWeights [batch], scale []. */
export interface LossInputs {
  readonly labels: string;
  readonly classWeights: string;
  readonly rowWeights: string;
  readonly scale: string;
}

/**
 * The weighted, label-smoothed softmax cross-entropy of `logits` [batch, classes] written into a
 * training graph, as the softmax-cross-entropy kernel computes it: target = (1 − ε)·onehot + ε / C,
 * each row weighted by its class's weight × its row weight × `scale` (rows labelled outside
 * [0, C) weigh 0). Returns dL/dlogits = (softmax − target) × row weight, and each row's loss.
 */
export function crossEntropyGraph(g: OnnxGraphBuilder, logits: string, inputs: LossInputs, classes: number, labelSmoothing: number): { dLogits: string; rowLosses: string } {
  const scalar = (name: string, value: number) => (g.has(name) ? name : g.initializer(name, Float32Array.of(value), []));
  const axis1 = g.has('axes.1') ? 'axes.1' : g.initializer('axes.1', BigInt64Array.of(1n), [1]);
  const toFloat = (condition: string) => g.node('Cast', [condition], { attributes: [attr.int('to', 1)], outputTypes: ['float32'] })[0]!;
  const zero = g.initializer('label.zero', Int32Array.of(0), []);
  const valid = toFloat(g.node('GreaterOrEqual', [inputs.labels, zero], { outputTypes: ['bool'] })[0]!);
  const safeLabels = g.node('Max', [inputs.labels, zero])[0]!;
  // One-hot as label == class index (ORT's OneHot has no int32-index kernel).
  const classIndices = g.initializer('class.indices', Int32Array.from({ length: classes }, (_, c) => c), [classes]);
  const onehot = toFloat(g.node('Equal', [g.node('Unsqueeze', [safeLabels, axis1])[0]!, classIndices], { outputTypes: ['bool'] })[0]!);
  const target = g.add(g.mul(onehot, scalar('target.keep', 1 - labelSmoothing)), scalar('target.spread', labelSmoothing / classes));
  const rowWeight = g.mul(g.mul(g.mul(g.node('Gather', [inputs.classWeights, safeLabels])[0]!, inputs.rowWeights), valid), inputs.scale);
  const column = g.node('Unsqueeze', [rowWeight, axis1])[0]!;
  const dLogits = g.mul(g.sub(g.softmax(logits, -1), target), column);
  const logProbabilities = g.node('LogSoftmax', [logits], { attributes: [attr.int('axis', -1)] })[0]!;
  const crossEntropy = g.reduceSum(g.mul(target, logProbabilities), axis1, { keepdims: false });
  return { dLogits, rowLosses: g.mul(g.node('Neg', [crossEntropy])[0]!, rowWeight) };
}
