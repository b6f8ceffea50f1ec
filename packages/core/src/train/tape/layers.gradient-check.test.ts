import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { gpuForTests } from '../../node/testing/index.js';
import { ActivationLayer, DropoutLayer } from './activation-layer.js';
import { BatchNormLayer } from './batch-norm-layer.js';
import { Conv2dLayer } from './conv2d-layer.js';
import { LinearLayer } from './linear-layer.js';
import { AvgPoolLayer, GlobalAveragePoolLayer, MaxPoolLayer } from './pool-layers.js';
import { ResidualBlock } from './residual-block.js';
import { Sequential } from './sequential.js';
import {
  activationF64,
  addF64,
  avgPoolF64,
  batchNormTrainF64,
  conv2dF64,
  dropoutF64,
  globalAveragePoolF64,
  linearF64,
  maxPoolF64,
  type F64Tensor,
} from './testing/f64-layers.js';
import { checkGradients, type GradientProblem } from './testing/gradient-check.js';

// Every layer's tape gradients (f32 kernels: the CPU references, and WGSL on WebGPU) against
// central differences of an independent float64 forward pass (testing/f64-layers.ts).

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

type Params = ReadonlyMap<string, Float64Array>;
const get = (p: Params, name: string) => p.get(name)!;
const weight = (p: Params, name: string, shape: number[]): F64Tensor => ({ shape, data: get(p, `${name}.weight`) });

/** The float64 twin of ResidualBlock (stride s, projection when the shape changes). */
function residualF64(x: F64Tensor, p: Params, name: string, cin: number, cout: number, stride: number): F64Tensor {
  const conv = (input: F64Tensor, suffix: string, c: number, s: number, k: number) =>
    conv2dF64(input, weight(p, `${name}.${suffix}`, [cout, c, k, k]), null, { strides: [s, s], pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0] });
  const bn = (input: F64Tensor, suffix: string) => batchNormTrainF64(input, get(p, `${name}.${suffix}.scale`), get(p, `${name}.${suffix}.bias`));
  const main = bn(conv(activationF64(bn(conv(x, 'conv1', cin, stride, 3), 'bn1'), 'relu'), 'conv2', cout, 1, 3), 'bn2');
  const shortcut = stride !== 1 || cin !== cout ? bn(conv(x, 'downsample.0', cin, stride, 1), 'downsample.1') : x;
  return activationF64(addF64(main, shortcut), 'relu');
}

const PROBLEMS: Record<string, () => GradientProblem> = {
  'conv2d: stride 2, padding 1, bias': () => ({
    layer: new Conv2dLayer('conv', { inChannels: 3, outChannels: 4, kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    inputShape: [2, 3, 7, 6],
    reference: (x, p) => conv2dF64(x, weight(p, 'conv', [4, 3, 3, 3]), get(p, 'conv.bias'), { strides: [2, 2], pads: [1, 1, 1, 1] }),
  }),
  'conv2d: two groups, dilation, asymmetric padding and stride, no bias': () => {
    const attrs = { strides: [1, 2] as [number, number], pads: [1, 0, 2, 1] as [number, number, number, number], dilations: [2, 1] as [number, number], group: 2 };
    return {
      layer: new Conv2dLayer('conv', { inChannels: 4, outChannels: 6, kernelShape: [3, 2], bias: false, ...attrs }),
      inputShape: [1, 4, 8, 7],
      reference: (x, p) => conv2dF64(x, weight(p, 'conv', [6, 2, 3, 2]), null, attrs),
    };
  },
  'batch norm, training (batch statistics)': () => ({
    layer: new BatchNormLayer('bn', 3),
    inputShape: [3, 3, 3, 2],
    reference: (x, p) => batchNormTrainF64(x, get(p, 'bn.scale'), get(p, 'bn.bias')),
  }),
  'batch norm, evaluation (running statistics 0 and 1)': () => ({
    layer: new BatchNormLayer('bn', 2),
    inputShape: [2, 2, 3, 3],
    training: false,
    reference: (x, p) => {
      const inner = 9;
      return { shape: x.shape, data: x.data.map((v, i) => (get(p, 'bn.scale')[Math.floor(i / inner) % 2]! * v) / Math.sqrt(1 + 1e-5) + get(p, 'bn.bias')[Math.floor(i / inner) % 2]!) };
    },
  }),
  'max pool 3×3, stride 2, padding 1': () => {
    const attrs = { kernelShape: [3, 3] as [number, number], strides: [2, 2] as [number, number], pads: [1, 1, 1, 1] as [number, number, number, number] };
    return { layer: new MaxPoolLayer('pool', attrs), inputShape: [2, 2, 6, 5], reference: (x) => maxPoolF64(x, attrs) };
  },
  'average pool, padding excluded and included': () => {
    const attrs = { kernelShape: [2, 3] as [number, number], strides: [1, 2] as [number, number], pads: [1, 1, 0, 1] as [number, number, number, number] };
    return {
      layer: new Sequential('pools', [new AvgPoolLayer('a', attrs), new AvgPoolLayer('b', { ...attrs, countIncludePad: true })]),
      inputShape: [2, 2, 5, 7],
      reference: (x) => avgPoolF64(avgPoolF64(x, attrs), { ...attrs, countIncludePad: true }),
    };
  },
  'global average pool then linear': () => ({
    layer: new Sequential('head', [new GlobalAveragePoolLayer('gap'), new LinearLayer('fc', 3, 5)]),
    inputShape: [2, 3, 4, 4],
    reference: (x, p) => linearF64(globalAveragePoolF64(x), get(p, 'fc.weight'), get(p, 'fc.bias')),
  }),
  'linear over a flattened 4-D input': () => ({
    layer: new LinearLayer('fc', 8, 3),
    inputShape: [3, 2, 2, 2],
    reference: (x, p) => linearF64(x, get(p, 'fc.weight'), get(p, 'fc.bias')),
  }),
  'relu and gelu on 4-D tensors': () => ({
    layer: new Sequential('acts', [new ActivationLayer('gelu', 'gelu'), new LinearLayer('mix', 48, 48), new ActivationLayer('relu', 'relu')]),
    inputShape: [2, 3, 4, 4],
    reference: (x, p) => ({ shape: [2, 48], data: activationF64(linearF64(activationF64(x, 'gelu'), get(p, 'mix.weight'), get(p, 'mix.bias')), 'relu').data }),
  }),
  'dropout on a 4-D tensor (mask regenerated from its seed)': () => ({
    layer: new DropoutLayer('drop', 0.3),
    inputShape: [2, 2, 3, 3],
    seed: 41,
    reference: (x) => dropoutF64(x, 0.3, 42),
  }),
  'residual block with a projection shortcut': () => ({
    layer: new ResidualBlock('block', { inChannels: 3, outChannels: 4, stride: 2 }),
    inputShape: [2, 3, 6, 6],
    reference: (x, p) => residualF64(x, p, 'block', 3, 4, 2),
  }),
};

function tinyResNet(): GradientProblem {
  const layer = new Sequential('net', [
    new Conv2dLayer('stem.conv', { inChannels: 3, outChannels: 4, kernelShape: [3, 3], pads: [1, 1, 1, 1], bias: false }),
    new BatchNormLayer('stem.bn', 4),
    new ActivationLayer('stem.relu', 'relu'),
    new MaxPoolLayer('stem.pool', { kernelShape: [2, 2], strides: [2, 2] }),
    new ResidualBlock('layer1.0', { inChannels: 4, outChannels: 4 }),
    new ResidualBlock('layer2.0', { inChannels: 4, outChannels: 6, stride: 2 }),
    new GlobalAveragePoolLayer('gap'),
    new DropoutLayer('drop', 0.2),
    new LinearLayer('fc', 6, 3),
  ]);
  return {
    layer,
    inputShape: [2, 3, 8, 8],
    seed: 100,
    reference: (x, p) => {
      let h = conv2dF64(x, weight(p, 'stem.conv', [4, 3, 3, 3]), null, { pads: [1, 1, 1, 1] });
      h = maxPoolF64(activationF64(batchNormTrainF64(h, get(p, 'stem.bn.scale'), get(p, 'stem.bn.bias')), 'relu'), { kernelShape: [2, 2], strides: [2, 2] });
      h = residualF64(residualF64(h, p, 'layer1.0', 4, 4, 1), p, 'layer2.0', 4, 6, 2);
      return linearF64(dropoutF64(globalAveragePoolF64(h), 0.2, 101), get(p, 'fc.weight'), get(p, 'fc.bias'));
    },
  };
}

async function expectGradients(device: Device, problem: GradientProblem): Promise<void> {
  const { forwardError, comparisons } = await checkGradients(device, problem);
  // f32 kernels against float64: forward values of order 1 agree to ~1e-6.
  expect(forwardError).toBeLessThan(1e-4);
  const tensors = new Set(comparisons.map((c) => c.tensor));
  expect(tensors.size).toBe(problem.layer.parameters().length + 1);
  for (const c of comparisons) {
    // The f32 limit of a gradient summed over a few hundred terms against an exact difference quotient.
    expect(Math.abs(c.analytic - c.numeric), `${c.tensor}[${c.index}]: tape ${c.analytic}, float64 difference ${c.numeric}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(c.numeric));
  }
}

describe('tape gradients against float64 central differences', () => {
  for (const [name, problem] of Object.entries(PROBLEMS)) {
    it(`cpu: ${name}`, () => expectGradients(cpu, problem()));
    it.skipIf(!gpu.device)(`webgpu: ${name}`, () => expectGradients(gpu.device!, problem()));
  }
  it('cpu: a tiny residual network (stem, two blocks, pooling, dropout, linear) through one tape', () => expectGradients(cpu, tinyResNet()));
  it.skipIf(!gpu.device)('webgpu: a tiny residual network through one tape', () => expectGradients(gpu.device!, tinyResNet()));
});

