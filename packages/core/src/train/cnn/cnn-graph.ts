import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { crossEntropyGraph } from '../loss-graph.js';
import { batchNormEval, LayerGraph, relu, type BnTensors, type Layer } from './cnn-graph-layers.js';
import { averagePool, convBatchNorm, globalAveragePool, maxPool, toStepLayout } from './cnn-step-layers.js';
import { cnnLayout } from './cnn-parameters.js';
import { planCnn, type CnnSpec, type ConvShape } from './cnn-spec.js';

/** The graph input of the images: float32 [batch, channels, height, width], preprocessed. */
export const CNN_INPUT = 'x';

/**
 * The network's forward pass in `l`'s graph over tensors named as the layout's (parameters and
 * running statistics, graph inputs or initializers). `train`: BN on batch statistics, with the
 * updated running statistics and a backward pass, in the step layout of cnn-step-layers.ts
 * ([1, C, H·W, N]) for a batch of `batch` images; `eval`: BN on the running statistics,
 * [N, C, H, W] through ORT's own ops, for any batch size (`batch` unused).
 */
function forward(l: LayerGraph, spec: CnnSpec, x: string, mode: 'train' | 'eval', batch: number) {
  const { g } = l;
  const plan = planCnn(spec);
  const layers: Layer[] = [];
  const runningUpdates: { name: string; tensor: string }[] = [];
  const apply = (record: Layer[], layer: Layer) => (record.push(layer), layer.y);

  const convBn = (record: Layer[], input: string, shape: ConvShape): string => {
    const bn: BnTensors = { scale: `${shape.name}.bn.scale`, bias: `${shape.name}.bn.bias`, mean: `${shape.name}.bn.mean`, variance: `${shape.name}.bn.var`, channels: shape.outChannels };
    if (mode === 'eval') return batchNormEval(l, g.conv(input, `${shape.name}.weight`, undefined, { kernelShape: [shape.kernel, shape.kernel], strides: [shape.stride, shape.stride], pads: Array(4).fill(shape.pad) }), bn, spec.bnEpsilon);
    const normalized = convBatchNorm(l, input, `${shape.name}.weight`, shape, batch, bn, spec.bnMomentum, spec.bnEpsilon);
    runningUpdates.push({ name: bn.mean, tensor: normalized.newMean }, { name: bn.variance, tensor: normalized.newVariance });
    return apply(record, normalized);
  };
  const activate = (record: Layer[], input: string) => (mode === 'eval' ? g.relu(input) : apply(record, relu(l, input)));
  // Training: a block's closing ReLU waits for the next block, and a max pool goes first —
  // max and ReLU commute, the first maximum is the same wherever the pooled value is positive (the
  // ReLU's mask zeroes the others), so the ReLU and its backward run on a quarter of the values.
  let pendingRelu = false;
  const settle = () => {
    if (pendingRelu) h = apply(layers, relu(l, h));
    pendingRelu = false;
  };

  let h = mode === 'eval' ? x : toStepLayout(l, x, spec.inputChannels, spec.height * spec.width);
  let height = spec.height;
  let width = spec.width;
  for (const block of plan.blocks) {
    if (block.kind !== 'maxpool') settle();
    if (block.kind === 'conv') {
      h = convBn(layers, h, block.conv);
      if (mode === 'eval') h = g.relu(h);
      else pendingRelu = true;
      ({ outHeight: height, outWidth: width } = block.conv);
    } else if (block.kind === 'residual') {
      const mainLayers: Layer[] = [];
      const shortcutLayers: Layer[] = [];
      const main = convBn(mainLayers, activate(mainLayers, convBn(mainLayers, h, block.conv1)), block.conv2);
      const shortcut = block.shortcut ? convBn(shortcutLayers, h, block.shortcut) : h;
      if (mode === 'eval') h = g.relu(g.add(main, shortcut));
      else {
        h = apply(layers, residualSum(l, g.add(main, shortcut), mainLayers, shortcutLayers));
        pendingRelu = true;
      }
      ({ outHeight: height, outWidth: width } = block.conv2);
    } else {
      const window = { kernelShape: [block.size, block.size], strides: [block.size, block.size] };
      if (mode === 'eval') h = block.kind === 'maxpool' ? g.maxPool(h, window) : g.averagePool(h, window);
      else h = apply(layers, block.kind === 'maxpool' ? maxPool(l, h, block) : averagePool(l, h, block));
      settle();
      height = block.outHeight;
      width = block.outWidth;
    }
  }
  settle();
  const embedding = mode === 'eval' ? g.flatten(g.globalAveragePool(h), 1) : apply(layers, globalAveragePool(l, h, plan.embeddingDim, height * width));
  const logits = g.gemm(embedding, 'fc.weight', 'fc.bias');
  return { embedding, logits, layers, runningUpdates, embeddingDim: plan.embeddingDim };
}

/**
 * The end of a residual block before its ReLU: main + shortcut. Backward: the main path's layers
 * and the shortcut's (none for the identity) in reverse; the two gradients that reach the block's
 * input are summed.
 */
function residualSum(l: LayerGraph, sum: string, mainLayers: readonly Layer[], shortcutLayers: readonly Layer[]): Layer {
  return {
    y: sum,
    backward(dSum, wantInput) {
      const dMain = runBackward(mainLayers, dSum, wantInput);
      const dShortcut = shortcutLayers.length === 0 ? dSum : runBackward(shortcutLayers, dSum, wantInput);
      return wantInput ? l.g.add(dMain!, dShortcut!) : null;
    },
  };
}

function runBackward(layers: readonly Layer[], dy: string, wantInput: boolean): string | null {
  let d: string | null = dy;
  for (let i = layers.length - 1; i >= 0; i--) d = layers[i]!.backward(d!, i > 0 || wantInput);
  return d;
}

/**
 * ONE ONNX model for a training step on the CPU: the forward pass (BN on batch statistics), the
 * weighted, label-smoothed cross-entropy and every parameter's gradient, for batches of `batch`
 * images (a convolution's input gradient depends on it: cnn-step-layers.ts).
 * Inputs: x [batch, C, H, W], labels int32 [batch], classWeights [classes], rowWeights [batch],
 * scale [], every parameter and running statistic (by layout name).
 * Outputs: `grad.<parameter>`, `running.<statistic>` (the updated BN statistics), rowLosses [batch].
 */
export function cnnStepModel(spec: CnnSpec, labelSmoothing: number, batch: number): Uint8Array {
  const g = new OnnxGraphBuilder('cvf-cnn-step');
  const layout = cnnLayout(spec);
  const x = g.input(CNN_INPUT, 'float32', [batch, spec.inputChannels, spec.height, spec.width]);
  const labels = g.input('labels', 'int32', [batch]);
  const classWeights = g.input('classWeights', 'float32', [spec.classes]);
  const rowWeights = g.input('rowWeights', 'float32', [batch]);
  const scale = g.input('scale', 'float32', []);
  for (const t of [...layout.parameters, ...layout.buffers]) g.input(t.name, 'float32', t.shape);
  const gradients = new Map<string, string>();
  const l = new LayerGraph(g, (name, tensor) => gradients.set(name, tensor));

  const net = forward(l, spec, x, 'train', batch);
  const loss = crossEntropyGraph(g, net.logits, { labels, classWeights, rowWeights, scale }, spec.classes, labelSmoothing);
  g.output(loss.rowLosses, 'rowLosses', [batch]);
  for (const { name, tensor } of net.runningUpdates) g.output(tensor, `running.${name}`, [layout.buffers.find((b) => b.name === name)!.shape[0]!]);

  // Backward: the classifier (Gemm: dW = eᵀ·d, db = Σ d, de = d·Wᵀ), then the layers in reverse.
  const d = loss.dLogits;
  gradients.set('fc.weight', g.gemm(net.embedding, d, undefined, { transA: true }));
  gradients.set('fc.bias', g.reduceSum(d, l.int64([0]), { keepdims: false }));
  runBackward(net.layers, g.gemm(d, 'fc.weight', undefined, { transB: true }), false);
  for (const { name, shape } of layout.parameters) g.output(gradients.get(name)!, `grad.${name}`, shape);
  return g.toBytes();
}

/**
 * The inference forward pass with the parameters as graph inputs (so one session serves every
 * epoch's validation): BN written out on the running statistics. Outputs `embedding` [batch, D]
 * (after global average pooling) and `logits` [batch, classes].
 */
export function cnnEvalModel(spec: CnnSpec): Uint8Array {
  const g = new OnnxGraphBuilder('cvf-cnn-eval');
  const layout = cnnLayout(spec);
  const x = g.input(CNN_INPUT, 'float32', ['batch', spec.inputChannels, spec.height, spec.width]);
  for (const t of [...layout.parameters, ...layout.buffers]) g.input(t.name, 'float32', t.shape);
  const net = forward(new LayerGraph(g, () => {}), spec, x, 'eval', 0);
  g.output(net.embedding, 'embedding', ['batch', net.embeddingDim]);
  g.output(net.logits, 'logits', ['batch', spec.classes]);
  return g.toBytes();
}
