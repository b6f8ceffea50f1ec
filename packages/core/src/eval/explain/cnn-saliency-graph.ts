import { attr } from '../../onnx/graph-builder.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { averagePool, globalAveragePool, LayerGraph, maxPool, relu, type Layer } from '../../train/cnn/cnn-graph-layers.js';
import { checkCnnValues, cnnLayout, type CnnValues } from '../../train/cnn/cnn-parameters.js';
import { planCnn, type CnnSpec, type ConvShape } from '../../train/cnn/cnn-spec.js';

/** The saliency graph's tensors: inputs `x` and `scoreGrad`, outputs the rest. */
export const SALIENCY_TENSORS = {
  input: 'x',
  /** [N, classes]: dS/dlogits, the one-hot of the explained class (S = its logit). */
  scoreGrad: 'scoreGrad',
  logits: 'logits',
  /** [N, C, h, w]: the last block's output, the feature maps global average pooling reads. */
  activations: 'activations',
  activationGrad: 'activationGrad',
  /** [N, C, H, W]: dS/dx. */
  inputGrad: 'inputGrad',
} as const;

/**
 * A trained `cnn` network (its values as initializers, BN on the running statistics as at
 * inference) with the exact gradient of a class score written out backwards through it, in the
 * ops of the training graph's layers: one `run` gives the logits, the last block's activations
 * and the score's gradients with respect to them (Grad-CAM) and to the input (Integrated
 * Gradients). The score is chosen per row by `scoreGrad` (the explained class's one-hot).
 */
export function cnnSaliencyModel(spec: CnnSpec, values: CnnValues): Uint8Array {
  checkCnnValues(spec, values);
  const plan = planCnn(spec);
  const g = new OnnxGraphBuilder('cvf-cnn-saliency');
  for (const { name, shape } of [...cnnLayout(spec).parameters, ...cnnLayout(spec).buffers]) g.initializer(name, values.get(name)!, shape);
  // No parameter gradients are wanted: the layers' hand-off of them is ignored.
  const l = new LayerGraph(g, () => undefined);
  const layers: Layer[] = [];
  const apply = (record: Layer[], layer: Layer) => (record.push(layer), layer.y);
  const convBn = (record: Layer[], input: string, shape: ConvShape) => apply(record, batchNormEvalLayer(l, apply(record, convLayer(l, input, shape)), shape, spec.bnEpsilon));

  let h = g.input(SALIENCY_TENSORS.input, 'float32', ['batch', spec.inputChannels, spec.height, spec.width]);
  let [height, width] = [spec.height, spec.width];
  for (const block of plan.blocks) {
    if (block.kind === 'conv') {
      h = apply(layers, relu(l, convBn(layers, h, block.conv)));
      ({ outHeight: height, outWidth: width } = block.conv);
    } else if (block.kind === 'residual') {
      const main: Layer[] = [];
      const shortcut: Layer[] = [];
      const mainOut = convBn(main, apply(main, relu(l, convBn(main, h, block.conv1))), block.conv2);
      const shortcutOut = block.shortcut ? convBn(shortcut, h, block.shortcut) : h;
      h = apply(layers, residualJoin(l, g.add(mainOut, shortcutOut), main, shortcut));
      ({ outHeight: height, outWidth: width } = block.conv2);
    } else {
      const padding = [block.inHeight - block.outHeight * block.size, block.inWidth - block.outWidth * block.size] as const;
      h = apply(layers, block.kind === 'maxpool' ? maxPool(l, h, block.size) : averagePool(l, h, block.size, block.channels, padding));
      [height, width] = [block.outHeight, block.outWidth];
    }
  }
  const activations = h;
  const pooled = globalAveragePool(l, activations, plan.embeddingDim, height * width);
  g.output(g.gemm(pooled.y, 'fc.weight', 'fc.bias'), SALIENCY_TENSORS.logits, ['batch', spec.classes]);

  const scoreGrad = g.input(SALIENCY_TENSORS.scoreGrad, 'float32', ['batch', spec.classes]);
  // Gemm's backward to the embedding: dS/dlogits · Wᵀ (W is [D, classes]).
  const activationGrad = pooled.backward(g.matmul(scoreGrad, g.transpose('fc.weight', [1, 0])), true)!;
  g.output(g.identity(activations), SALIENCY_TENSORS.activations, ['batch', plan.embeddingDim, height, width]);
  g.output(g.identity(activationGrad), SALIENCY_TENSORS.activationGrad, ['batch', plan.embeddingDim, height, width]);
  let d = activationGrad;
  for (let i = layers.length - 1; i >= 0; i--) d = layers[i]!.backward(d, true)!;
  g.output(d, SALIENCY_TENSORS.inputGrad, ['batch', spec.inputChannels, spec.height, spec.width]);
  return g.toBytes();
}

/** Convolution without bias; the input's gradient is ConvTranspose of dy with the same weight (output_padding restores floored sizes). */
function convLayer(l: LayerGraph, x: string, shape: ConvShape): Layer {
  const { kernel: k, stride: s, pad: p, outHeight, outWidth } = shape;
  const weight = `${shape.name}.weight`;
  return {
    y: l.g.conv(x, weight, undefined, { kernelShape: [k, k], strides: [s, s], pads: [p, p, p, p] }),
    backward(dy) {
      const outputPadding = [shape.inHeight - (s * (outHeight - 1) + k - 2 * p), shape.inWidth - (s * (outWidth - 1) + k - 2 * p)];
      return l.node('ConvTranspose', [dy, weight], [attr.ints('kernel_shape', [k, k]), attr.ints('strides', [s, s]), attr.ints('pads', [p, p, p, p]), attr.ints('output_padding', outputPadding)]);
    },
  };
}

/** BN on the running statistics is a per-channel affine map y = x·a + b, a = γ/√(var + ε): its backward is dy·a. */
function batchNormEvalLayer(l: LayerGraph, x: string, shape: ConvShape, epsilon: number): Layer {
  const { g } = l;
  const bn = `${shape.name}.bn`;
  const factor = g.reshape(g.mul(`${bn}.scale`, l.node('Reciprocal', [l.node('Sqrt', [g.add(`${bn}.var`, l.scalar(epsilon))])])), [1, shape.outChannels, 1, 1]);
  const y = g.add(g.mul(g.sub(x, g.reshape(`${bn}.mean`, [1, shape.outChannels, 1, 1])), factor), g.reshape(`${bn}.bias`, [1, shape.outChannels, 1, 1]));
  return { y, backward: (dy) => g.mul(dy, factor) };
}

/** ReLU(main + shortcut); the gradient reaching the block's input is the main path's plus the shortcut's. */
function residualJoin(l: LayerGraph, sum: string, main: readonly Layer[], shortcut: readonly Layer[]): Layer {
  const join = relu(l, sum);
  const back = (path: readonly Layer[], dy: string) => path.reduceRight((d, layer) => layer.backward(d, true)!, dy);
  return {
    y: join.y,
    backward(dy) {
      const dSum = join.backward(dy, true)!;
      return l.g.add(back(main, dSum), back(shortcut, dSum));
    },
  };
}
