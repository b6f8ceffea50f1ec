import type { Rng } from '../../../compute/random.js';
import { attr, OnnxGraphBuilder } from '../../../onnx/graph-builder.js';

/**
 * A small ResNet-like ONNX model from the graph builder, seeded: input `image` [batch, 3, 10, 10],
 * output `logits` [batch, 4]. Blocks: a conv stem (bias, BN, ReLU, padded 3×3 max-pool), a residual
 * block on the identity, one with a strided 1×1 projection, a grouped conv with bias, padded average
 * pooling, global average pooling, flatten, MatMul + Add, ReLU and a Gemm with transB.
 */
export function tinyResNetModel(rng: Rng): Uint8Array {
  const g = new OnnxGraphBuilder('tiny-resnet');
  const weight = (name: string, dims: number[], low = -0.5, high = 0.5) => g.initializer(name, rng.floats(dims.reduce((a, b) => a * b, 1), low, high), dims);
  const bn = (x: string, name: string, channels: number) => {
    const inputs = [x, weight(`${name}.scale`, [channels], 0.5, 1.5), weight(`${name}.bias`, [channels]), weight(`${name}.mean`, [channels], -0.2, 0.2), weight(`${name}.var`, [channels], 0.5, 2)];
    return g.node('BatchNormalization', inputs, { attributes: [attr.float('epsilon', 1e-5)] })[0]!;
  };
  const conv = (x: string, name: string, cin: number, cout: number, k: number, stride = 1, options: { bias?: boolean; group?: number } = {}) =>
    g.conv(x, weight(`${name}.weight`, [cout, cin / (options.group ?? 1), k, k]), options.bias ? weight(`${name}.bias`, [cout]) : undefined, {
      kernelShape: [k, k],
      strides: [stride, stride],
      pads: Array(4).fill(Math.floor(k / 2)),
      group: options.group ?? 1,
    });
  let h = g.input('image', 'float32', ['batch', 3, 10, 10]);
  h = g.maxPool(g.relu(bn(conv(h, 'stem', 3, 4, 3, 1, { bias: true }), 'stem.bn', 4)), { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const identity = bn(conv(g.relu(bn(conv(h, 'r1.conv1', 4, 4, 3), 'r1.bn1', 4)), 'r1.conv2', 4, 4, 3), 'r1.bn2', 4);
  h = g.relu(g.add(identity, h));
  const main = bn(conv(g.relu(bn(conv(h, 'r2.conv1', 4, 6, 3, 2), 'r2.bn1', 6)), 'r2.conv2', 6, 6, 3), 'r2.bn2', 6);
  h = g.relu(g.add(main, bn(conv(h, 'r2.down', 4, 6, 1, 2), 'r2.down.bn', 6)));
  h = g.relu(conv(h, 'grouped', 6, 6, 3, 1, { bias: true, group: 2 }));
  h = g.averagePool(h, { kernelShape: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], countIncludePad: true });
  h = g.flatten(g.globalAveragePool(h), 1);
  h = g.relu(g.add(g.matmul(h, weight('fc1.weight', [6, 5])), weight('fc1.bias', [5])));
  g.output(g.gemm(h, weight('fc2.weight', [4, 5]), weight('fc2.bias', [4]), { transB: true }), 'logits', ['batch', 4]);
  return g.toBytes();
}
