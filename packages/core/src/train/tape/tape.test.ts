import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { softmaxCrossEntropy } from '../../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests } from '../../node/testing/index.js';
import { Optimizer } from '../optimizer.js';
import { ActivationLayer } from './activation-layer.js';
import { BatchNormLayer } from './batch-norm-layer.js';
import { Conv2dLayer } from './conv2d-layer.js';
import { forwardContext } from './layer.js';
import { LinearLayer } from './linear-layer.js';
import { GlobalAveragePoolLayer, MaxPoolLayer } from './pool-layers.js';
import { ResidualBlock } from './residual-block.js';
import { Sequential } from './sequential.js';
import { Tape } from './tape.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const ones = (shape: number[]) => Tensor.cpu('f32', shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1));

describe('Tape memory and bookkeeping', () => {
  it('releases a saved tensor once its last reader has run backward, and unread ones when backward starts', async () => {
    const tape = new Tape(cpu);
    const x = ones([2]);
    const [a, temp, b, unread] = [ones([2]), ones([2]), ones([2]), ones([2])];
    const seen: string[] = [];
    tape.record({
      label: 'first',
      inputs: [x],
      output: a,
      saved: [temp],
      temporaries: [temp, unread],
      backward: async (dy) => {
        seen.push(`first: temp ${temp.disposed ? 'released' : 'held'}, a ${a.disposed ? 'released' : 'held'}`);
        return [dy];
      },
    });
    tape.record({
      label: 'second',
      inputs: [a],
      output: b,
      saved: [a, temp],
      backward: async (dy) => {
        seen.push(`second: temp ${temp.disposed ? 'released' : 'held'}, unread ${unread.disposed ? 'released' : 'held'}`);
        return [Tensor.cpu('f32', [2], Float32Array.of(2, 3))];
      },
    });
    tape.watch(x);
    const rootGradient = ones([2]);
    const { inputs } = await tape.backward(b, rootGradient);
    expect(seen).toEqual(['second: temp held, unread released', 'first: temp held, a released']);
    expect(temp.disposed).toBe(true);
    expect([...(inputs.get(x)!.data as Float32Array)]).toEqual([2, 3]);
    // The root and its gradient stay the caller's.
    expect(b.disposed || rootGradient.disposed).toBe(false);
    await expect(tape.backward(b, rootGradient)).rejects.toThrow(/backward\(\) ran already/);
  });

  it('adds the gradients of a tensor read along two paths (a residual block\'s input)', async () => {
    const block = new ResidualBlock('b', { inChannels: 2, outChannels: 2 });
    const tape = new Tape(cpu);
    const x = Tensor.cpu('f32', [1, 2, 3, 3], new Rng(1).floats(18));
    tape.watch(x);
    const y = await block.forward(forwardContext(cpu, { training: true, tape }), x);
    const { inputs, parameters } = await tape.backward(y, ones([...y.shape]));
    expect(inputs.get(x)!.shape).toEqual([1, 2, 3, 3]);
    expect([...parameters.keys()].sort()).toEqual(block.parameters().map((p) => p.name).sort());
  });

  it('inference without a tape computes what the taped pass computes, and updates no running statistics', async () => {
    const net = new Sequential('net', [new Conv2dLayer('c', { inChannels: 1, outChannels: 2, kernelShape: [3, 3], seed: 3 }), new BatchNormLayer('bn', 2), new ActivationLayer('r', 'relu'), new MaxPoolLayer('p', { kernelShape: [2, 2] })]);
    const x = Tensor.cpu('f32', [2, 1, 5, 5], new Rng(2).floats(50));
    const bn = net.layers[1] as BatchNormLayer;
    const plain = await net.forward(forwardContext(cpu, { training: false }), x);
    expect(await bn.runningStatistics(cpu)).toEqual({ mean: new Float32Array(2), variance: new Float32Array(2).fill(1) });
    const tape = new Tape(cpu);
    const taped = await net.forward(forwardContext(cpu, { training: false, tape }), x);
    expect([...(taped.data as Float32Array)]).toEqual([...(plain.data as Float32Array)]);
    tape.dispose(taped);
    await net.forward(forwardContext(cpu, { training: true }), x);
    expect((await bn.runningStatistics(cpu)).mean.some((m) => m !== 0)).toBe(true);
  });
});

/** Two classes of 8×8 images: a bright 3×3 square in the top-left or the bottom-right quarter, on noise. */
function squares(count: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const x = rng.floats(count * 64, 0, 0.3);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  labels.forEach((label, i) => {
    const [y0, x0] = label === 0 ? [rng.int(0, 1), rng.int(0, 1)] : [rng.int(4, 5), rng.int(4, 5)];
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) x[i * 64 + (y0 + dy) * 8 + x0 + dx] = 1;
  });
  return { x, labels };
}

async function trainSquares(device: Device): Promise<{ first: number; last: number }> {
  const net = new Sequential('net', [
    new Conv2dLayer('stem', { inChannels: 1, outChannels: 4, kernelShape: [3, 3], pads: [1, 1, 1, 1], bias: false, seed: 1 }),
    new BatchNormLayer('stem.bn', 4),
    new ActivationLayer('stem.relu', 'relu'),
    new ResidualBlock('layer1.0', { inChannels: 4, outChannels: 8, stride: 2, seed: 2 }),
    new GlobalAveragePoolLayer('gap'),
    new LinearLayer('fc', 8, 2, 3),
  ]);
  const { x, labels } = squares(16, 5);
  const images = device.upload(Tensor.cpu('f32', [16, 1, 8, 8], x));
  const labelTensor = device.upload(Tensor.cpu('i32', [16], labels));
  const weights = device.upload(ones([2]));
  const rowWeights = device.upload(ones([16]));
  const parameters = net.parameters();
  const optimizer = Optimizer.create(device, { kind: 'adam', lr: 0.05 }, parameters.map((p) => p.value));
  const losses: number[] = [];
  for (let step = 0; step < 12; step++) {
    const tape = new Tape(device);
    const logits = await net.forward(forwardContext(device, { training: true, tape, seed: step }), images);
    const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, labels: labelTensor, weights, rowWeights }, { scale: 1 / 16 });
    losses.push(((await device.read(loss)) as Float32Array).reduce((s, v) => s + v, 0));
    loss.dispose();
    const { parameters: gradients } = await tape.backward(logits, grad);
    grad.dispose();
    logits.dispose();
    const ordered = parameters.map((p) => gradients.get(p.name)!);
    const updated = await optimizer.step(parameters.map((p) => p.value), ordered, { lr: 0.05, decay: parameters.map(() => false) });
    updated.forEach((value, i) => (parameters[i]!.value = value));
    for (const g of ordered) g.dispose();
  }
  return { first: losses[0]!, last: losses.at(-1)! };
}

describe('training a small residual network through the tape', () => {
  // ln 2 ≈ 0.69 at the start; a network that learns the square's position drives it well below.
  it('cpu: Adam steps lower the cross-entropy of a two-class image problem', async () => {
    const { first, last } = await trainSquares(cpu);
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.2);
  });
  it.skipIf(!gpu.device)('webgpu: the same training on the GPU', async () => {
    const { first, last } = await trainSquares(gpu.device!);
    expect(first).toBeGreaterThan(0.5);
    expect(last).toBeLessThan(0.2);
  });
});
