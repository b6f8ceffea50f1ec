import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { maxRelError } from '../../compute/harness.js';
import { maxPool } from '../../compute/kernels/max-pool/max-pool.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { OnnxGraphBuilder } from '../../onnx/graph-builder.js';
import { attr } from '../../onnx/graph-proto.js';
import { BatchNormLayer } from './batch-norm-layer.js';
import { Conv2dLayer } from './conv2d-layer.js';
import { forwardContext, type Layer } from './layer.js';
import { LinearLayer } from './linear-layer.js';
import { AvgPoolLayer, GlobalAveragePoolLayer, MaxPoolLayer } from './pool-layers.js';
import { ResidualBlock } from './residual-block.js';
import { Sequential } from './sequential.js';

// The layers' forward passes (the kernels' CPU references) against ONNX Runtime running the ONNX
// operators they claim to be, with the layers' own parameters as initializers under their names
// and shapes: the layout a CNN's ONNX export relies on.

const cpu = new CpuDevice();
const rng = new Rng(11);

async function runOrt(model: Uint8Array, x: Float32Array, shape: readonly number[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, [...shape]) });
  } finally {
    await session.release();
  }
}

/** A graph with input x, the layer's parameters (with seeded random values) as initializers, built by `nodes`. */
async function compare(layer: Layer, shape: readonly number[], nodes: (g: OnnxGraphBuilder) => string, statistics: BatchNormLayer[] = []): Promise<number> {
  const g = new OnnxGraphBuilder('layer');
  g.input('x', 'float32', shape);
  for (const p of layer.parameters()) {
    const values = p.name.endsWith('.scale') ? rng.floats(p.value.size, 0.5, 1.5) : rng.floats(p.value.size);
    p.value = Tensor.cpu('f32', p.value.shape, values);
    g.initializer(p.name, values, p.value.shape);
  }
  for (const bn of statistics) {
    const mean = rng.floats(bn.channels);
    const variance = rng.floats(bn.channels, 0.5, 2);
    bn.setRunningStatistics(mean, variance);
    g.initializer(bn.runningNames.mean, mean, [bn.channels]);
    g.initializer(bn.runningNames.variance, variance, [bn.channels]);
  }
  g.output(nodes(g), 'y');
  const x = rng.floats(shape.reduce((a, b) => a * b, 1));
  const { y: want } = await runOrt(g.toBytes(), x, shape);
  const got = await layer.forward(forwardContext(cpu, { training: false }), Tensor.cpu('f32', shape, x));
  expect(got.shape).toEqual(want!.dims);
  return maxRelError(got.data as Float32Array, want!.data as Float32Array);
}

const batchNorm = (g: OnnxGraphBuilder, x: string, name: string) =>
  g.node('BatchNormalization', [x, `${name}.scale`, `${name}.bias`, `${name}.mean`, `${name}.var`], { attributes: [attr.float('epsilon', 1e-5)] })[0]!;

describe('layers against ONNX Runtime operators', () => {
  // Both sides sum in float32 (ORT in its own order): a few roundings of values of order 1–10.
  const TOLERANCE = 1e-5;

  it('Conv: groups, dilations, strides, asymmetric pads, bias', async () => {
    const attrs = { strides: [2, 1] as [number, number], pads: [1, 0, 2, 1] as [number, number, number, number], dilations: [1, 2] as [number, number], group: 2 };
    const layer = new Conv2dLayer('conv', { inChannels: 4, outChannels: 6, kernelShape: [3, 2], ...attrs });
    const error = await compare(layer, [2, 4, 9, 8], (g) => g.conv('x', 'conv.weight', 'conv.bias', { kernelShape: [3, 2], ...attrs }));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('BatchNormalization (inference, running statistics)', async () => {
    const layer = new BatchNormLayer('bn', 3);
    expect(await compare(layer, [2, 3, 4, 5], (g) => batchNorm(g, 'x', 'bn'), [layer])).toBeLessThanOrEqual(TOLERANCE);
  });

  it('MaxPool: values and Indices', async () => {
    const options = { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } as const;
    const layer = new MaxPoolLayer('pool', options);
    expect(await compare(layer, [2, 3, 9, 8], (g) => g.maxPool('x', options))).toBe(0);
    const g = new OnnxGraphBuilder('indices');
    g.input('x', 'float32', [2, 3, 9, 8]);
    const [, indices] = g.node('MaxPool', ['x'], { attributes: [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])], outputs: ['values', 'indices'], outputTypes: ['float32', 'int64'] });
    g.output('values', 'y');
    g.output(indices!, 'i');
    const x = rng.floats(2 * 3 * 9 * 8);
    const { i } = await runOrt(g.toBytes(), x, [2, 3, 9, 8]);
    const { indices: ours } = await cpu.run(maxPool, { x: Tensor.cpu('f32', [2, 3, 9, 8], x) }, options);
    expect([...(ours.data as Int32Array)]).toEqual([...(i!.data as BigInt64Array)].map(Number));
  });

  it('AveragePool, count_include_pad 0 and 1', async () => {
    for (const countIncludePad of [false, true]) {
      const options = { kernelShape: [3, 2], strides: [2, 2], pads: [1, 1, 1, 0], countIncludePad } as const;
      const layer = new AvgPoolLayer('pool', options);
      expect(await compare(layer, [1, 2, 7, 6], (g) => g.averagePool('x', options))).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('GlobalAveragePool then Flatten and Gemm (the linear layer\'s weight is [in, out])', async () => {
    const layer = new Sequential('head', [new GlobalAveragePoolLayer('gap'), new LinearLayer('fc', 3, 4)]);
    const error = await compare(layer, [2, 3, 5, 5], (g) => g.gemm(g.flatten(g.globalAveragePool('x')), 'fc.weight', 'fc.bias'));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a residual block with a projection shortcut (Conv, BatchNormalization, Relu, Add)', async () => {
    const block = new ResidualBlock('block', { inChannels: 3, outChannels: 4, stride: 2 });
    const norms = [...block.main.layers, ...(block.shortcut?.layers ?? [])].filter((l): l is BatchNormLayer => l instanceof BatchNormLayer);
    const conv = (g: OnnxGraphBuilder, x: string, name: string, k: number, s: number) =>
      g.conv(x, `${name}.weight`, undefined, { kernelShape: [k, k], strides: [s, s], pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0] });
    const error = await compare(
      block,
      [2, 3, 8, 8],
      (g) => {
        const h = g.relu(batchNorm(g, conv(g, 'x', 'block.conv1', 3, 2), 'block.bn1'));
        const main = batchNorm(g, conv(g, h, 'block.conv2', 3, 1), 'block.bn2');
        const shortcut = batchNorm(g, conv(g, 'x', 'block.downsample.0', 1, 2), 'block.downsample.1');
        return g.relu(g.add(main, shortcut));
      },
      norms,
    );
    expect(error).toBeLessThanOrEqual(TOLERANCE);
  });
});
