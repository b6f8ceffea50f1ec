import { GELU_CUBIC, GELU_SQRT_2_OVER_PI, GELU_TANH_CLAMP } from '../compute/kernels/activation/activation-functions.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { hostData } from './head-file.js';
import { parameterNames, type Head } from './head.js';

export interface HeadExportOptions {
  /** Name of the features input [batch, inputDim] (default 'features'). */
  readonly inputName?: string;
  /** Name of the probabilities output [batch, classes] (default 'probabilities'). */
  readonly outputName?: string;
  /** Graph name (default 'cvf-head'). */
  readonly graphName?: string;
  /** Logits are divided by it before the softmax (temperature scaling; default 1: left out). */
  readonly temperature?: number;
}

/**
 * The head's inference forward pass (no dropout) as an ONNX model (opset 17): Gemm per layer,
 * Relu or GELU between layers, logits ÷ temperature, Softmax at the end. Opset 17 has no Gelu op, so GELU is composed
 * from the same tanh approximation the trainer uses:
 *   ½·x·(1 + tanh(clip(√(2/π)·(x + 0.044715·x³), −10, 10))).
 * The head must be on the host (`headToHost`).
 */
export function exportHeadToOnnx(head: Head, { inputName = 'features', outputName = 'probabilities', graphName = 'cvf-head', temperature = 1 }: HeadExportOptions = {}): Uint8Array {
  const { spec } = head;
  const names = parameterNames(spec);
  const g = new OnnxGraphBuilder(graphName);
  let x = g.input(inputName, 'float32', ['batch', spec.inputDim]);
  const scalar = (name: string, value: number) => (g.has(name) ? name : g.initializer(name, Float32Array.of(value), []));
  head.layers.forEach((layer, l) => {
    const weight = g.initializer(names[2 * l]!, hostData(layer.weight, names[2 * l]!), layer.weight.shape);
    const bias = g.initializer(names[2 * l + 1]!, hostData(layer.bias, names[2 * l + 1]!), layer.bias.shape);
    x = g.gemm(x, weight, bias);
    if (l === head.layers.length - 1 || spec.head !== 'mlp') return;
    if (spec.activation === 'relu') {
      x = g.relu(x);
      return;
    }
    const cube = g.mul(g.mul(x, x), x);
    const u = g.mul(g.add(x, g.mul(cube, scalar('gelu.cubic', GELU_CUBIC))), scalar('gelu.sqrt_2_over_pi', GELU_SQRT_2_OVER_PI));
    const clipped = g.node('Clip', [u, scalar('gelu.clip_min', -GELU_TANH_CLAMP), scalar('gelu.clip_max', GELU_TANH_CLAMP)])[0]!;
    const t = g.node('Tanh', [clipped])[0]!;
    x = g.mul(g.mul(x, scalar('gelu.half', 0.5)), g.add(t, scalar('gelu.one', 1)));
  });
  if (temperature !== 1) x = g.div(x, scalar('temperature', temperature));
  g.output(g.softmax(x, -1), outputName, ['batch', spec.classes]);
  return g.toBytes();
}
