import { attr, OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import type { Head } from '../head.js';
import { Tensor } from '../../compute/tensor.js';
import { cnnLayout, checkCnnValues, type CnnValues } from './cnn-parameters.js';
import { planCnn, type CnnSpec, type ConvShape } from './cnn-spec.js';

export interface CnnExportOptions {
  /** The image input [batch, C, H, W], preprocessed (default 'pixels'). */
  readonly inputName?: string;
  /** Add the classifier: `probabilities` [batch, classes] (softmax of the logits ÷ temperature) beside `embedding`. Default true. */
  readonly classifier?: boolean;
  readonly temperature?: number;
}

/** The exported graph's outputs. */
export const CNN_EXPORT_OUTPUTS = { embedding: 'embedding', probabilities: 'probabilities' } as const;

/**
 * The trained network for inference as an ONNX model (opset 17) with its values as initializers,
 * in the standard ops every ONNX runtime has: Conv, BatchNormalization (inference mode, running
 * statistics), Relu, Add, MaxPool / AveragePool, GlobalAveragePool, Flatten, and — with the
 * classifier — Gemm and Softmax. `embedding` [batch, D] is the pooled penultimate layer: what PCA
 * and the case index see. ORT's forward pass of it equals `CnnEvalSession` (the training side's
 * own inference graph) to 1e-5 (cnn-export.test.ts).
 */
export function exportCnnToOnnx(spec: CnnSpec, values: CnnValues, { inputName = 'pixels', classifier = true, temperature = 1 }: CnnExportOptions = {}): Uint8Array {
  checkCnnValues(spec, values);
  const plan = planCnn(spec);
  const layout = cnnLayout(spec);
  const g = new OnnxGraphBuilder('cvf-cnn');
  for (const { name, shape } of [...layout.parameters, ...layout.buffers]) {
    if (name.startsWith('fc.') && !classifier) continue;
    g.initializer(name, values.get(name)!, shape);
  }
  const convBn = (x: string, shape: ConvShape) => {
    const y = g.conv(x, `${shape.name}.weight`, undefined, { kernelShape: [shape.kernel, shape.kernel], strides: [shape.stride, shape.stride], pads: [shape.pad, shape.pad, shape.pad, shape.pad] });
    const bn = ['scale', 'bias', 'mean', 'var'].map((part) => `${shape.name}.bn.${part}`);
    return g.node('BatchNormalization', [y, ...bn], { attributes: [attr.float('epsilon', spec.bnEpsilon), attr.float('momentum', 1 - spec.bnMomentum)] })[0]!;
  };
  let h = g.input(inputName, 'float32', ['batch', spec.inputChannels, spec.height, spec.width]);
  for (const block of plan.blocks) {
    if (block.kind === 'conv') h = g.relu(convBn(h, block.conv));
    else if (block.kind === 'residual') h = g.relu(g.add(convBn(g.relu(convBn(h, block.conv1)), block.conv2), block.shortcut ? convBn(h, block.shortcut) : h));
    else {
      const window = { kernelShape: [block.size, block.size], strides: [block.size, block.size] };
      h = block.kind === 'maxpool' ? g.maxPool(h, window) : g.averagePool(h, window);
    }
  }
  const embedding = g.flatten(g.globalAveragePool(h), 1);
  g.output(embedding, CNN_EXPORT_OUTPUTS.embedding, ['batch', plan.embeddingDim]);
  if (classifier) {
    let logits = g.gemm(embedding, 'fc.weight', 'fc.bias');
    if (temperature !== 1) logits = g.div(logits, g.initializer('temperature', Float32Array.of(temperature), []));
    g.output(g.softmax(logits, -1), CNN_EXPORT_OUTPUTS.probabilities, ['batch', spec.classes]);
  }
  return g.toBytes();
}

/** The classifier on top of the embedding as a softmax head ([D, classes] weight, as Gemm's B), on the host. */
export function cnnClassifierHead(spec: CnnSpec, values: CnnValues): Head {
  const plan = planCnn(spec);
  return {
    spec: { head: 'softmax', inputDim: plan.embeddingDim, classes: spec.classes },
    layers: [{ weight: Tensor.cpu('f32', [plan.embeddingDim, spec.classes], values.get('fc.weight')!.slice()), bias: Tensor.cpu('f32', [spec.classes], values.get('fc.bias')!.slice()) }],
  };
}
