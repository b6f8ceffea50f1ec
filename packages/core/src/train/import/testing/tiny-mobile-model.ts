import type { Rng } from '../../../compute/random.js';
import { attr, OnnxGraphBuilder } from '../../../onnx/graph-builder.js';

/**
 * A small MobileNet/Inception-like ONNX model from the graph builder, seeded: input `image`
 * [batch, 3, 10, 10], output `embedding` [batch, 5]. It normalises its input inside the graph
 * (Sub, Div per channel), then a ReLU6 stem, an inverted-residual block (depthwise conv, ReLU6,
 * 1×1 projection, Add), a Concat of two branches, a Sigmoid scaled per channel (Mul), padded
 * average pooling, global pooling, Squeeze, Dropout, a Gemm, Unsqueeze and Reshape.
 */
export function tinyMobileModel(rng: Rng, dropout = 0.2): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-mobile');
  const weight = (name: string, dims: number[], low = -0.5, high = 0.5) => g.initializer(name, rng.floats(dims.reduce((a, b) => a * b, 1), low, high), dims);
  const bn = (x: string, name: string, channels: number) => {
    const inputs = [x, weight(`${name}.scale`, [channels], 0.5, 1.5), weight(`${name}.bias`, [channels]), weight(`${name}.mean`, [channels], -0.2, 0.2), weight(`${name}.var`, [channels], 0.5, 2)];
    return g.node('BatchNormalization', inputs, { attributes: [attr.float('epsilon', 1e-5)] })[0]!;
  };
  const conv = (x: string, name: string, cin: number, cout: number, k: number, group = 1) =>
    g.conv(x, weight(`${name}.weight`, [cout, cin / group, k, k]), undefined, { kernelShape: [k, k], pads: Array(4).fill(Math.floor(k / 2)), group });
  const relu6 = (x: string) => g.node('Clip', [x, g.initializer(`${x}.min`, Float32Array.of(0), []), g.initializer(`${x}.max`, Float32Array.of(6), [])])[0]!;
  const axes = (name: string, values: bigint[]) => g.initializer(name, BigInt64Array.from(values), [values.length]);

  let h = g.div(g.sub(g.input('image', 'float32', ['batch', 3, 10, 10]), weight('mean', [1, 3, 1, 1], 0, 0.5)), weight('std', [1, 3, 1, 1], 0.5, 1.5));
  h = relu6(bn(conv(h, 'stem', 3, 6, 3), 'stem.bn', 6));
  h = g.add(bn(conv(relu6(bn(conv(h, 'ir.dw', 6, 6, 3, 6), 'ir.dw.bn', 6)), 'ir.pw', 6, 6, 1), 'ir.pw.bn', 6), h);
  h = g.concat([g.relu(conv(h, 'branch.a', 6, 4, 1)), g.relu(conv(h, 'branch.b', 6, 4, 3))], 1);
  h = g.mul(g.sigmoid(h), weight('gain', [8, 1, 1], 0.5, 1.5));
  h = g.globalAveragePool(g.averagePool(h, { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false }));
  h = g.node('Dropout', [g.node('Squeeze', [h, axes('squeeze.axes', [2n, 3n])])[0]!, g.initializer('dropout.ratio', Float32Array.of(dropout), [])])[0]!;
  h = g.gemm(h, weight('fc.weight', [5, 8]), weight('fc.bias', [5]), { transB: true });
  h = g.reshape(g.node('Unsqueeze', [h, axes('unsqueeze.axes', [2n])])[0]!, [0, -1]);
  g.output(h, 'embedding', ['batch', 5]);
  return g.toBytes();
}
