import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Device } from '../compute/device.js';
import { Tensor } from '../compute/tensor.js';
import { gpuForTests } from '../node/testing/index.js';
import { batchSource } from './batch-source.js';
import { computeGradients } from './gradients.js';
import { createHead, headParameters, uploadHead, type HeadSpec } from './head.js';
import { predictProbabilities } from './predict.js';
import { sliceRows, syntheticBlobs } from './synthetic-blobs.js';
import { trainHead } from './trainer.js';
import type { TrainOptions } from './train-options.js';
import { validationMetrics } from './validation-metrics.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

// Spread 3: the Bayes accuracy on the validation rows is 0.993; the floor is 0.95.
const data = syntheticBlobs({ rows: 1500, dim: 12, classes: 4, spread: 3, seed: 3 });
const train = sliceRows(data, 0, 1200);
const validation = sliceRows(data, 1200, 1500);
const mlp: HeadSpec = { head: 'mlp', inputDim: 12, classes: 4, hidden: [24, 16], activation: 'gelu', dropout: 0.2 };
const options: TrainOptions = {
  epochs: 3,
  batchSize: 64,
  optimizer: { kind: 'adamw', lr: 0.01, weightDecay: 1e-3 },
  schedule: { kind: 'cosine', warmupEpochs: 1 },
  labelSmoothing: 0.1,
  classWeights: 'balanced',
  gradientClip: 1,
  seed: 9,
};

/** max |got − want| / max(1, |want|) over all values. */
function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

async function readParameters(device: Device, tensors: readonly Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map((t) => device.read(t) as Promise<Float32Array>));
}

describe.skipIf(!gpu.device)('training on WebGPU', () => {
  it('gradients of a batch on WebGPU equal the CPU reference within 1e-5 (lavapipe: ~6e-8) (MLP, GELU, dropout, smoothing, class weights)', async () => {
    const device = gpu.device!;
    const head = createHead(mlp, 5);
    const batch = sliceRows(train, 0, 100);
    const run = async (d: Device) => {
      const { layers, rowLosses } = await computeGradients(
        d,
        uploadHead(d, head),
        d.upload(Tensor.cpu('f32', [100, 12], batch.features)),
        d.upload(Tensor.cpu('i32', [100], batch.labels)),
        { classWeights: d.upload(Tensor.cpu('f32', [4], [1, 2, 0.5, 1])), labelSmoothing: 0.1, scale: 1 / 100 },
        [21, 22],
      );
      return readParameters(d, [...layers.flatMap((l) => [l.weight, l.bias]), rowLosses]);
    };
    const want = await run(cpu);
    const got = await run(device);
    want.forEach((w, i) => expect(worstError(got[i]!, w), `tensor ${i}`).toBeLessThan(1e-5));
  });

  it('a training run on WebGPU (steps, clipping, AdamW and SGD updates) equals the CPU run within 1e-5 (lavapipe: ~7e-8)', async () => {
    for (const optimizer of [options.optimizer, { kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-3 }] as const) {
      const short = { ...options, epochs: 1, optimizer };
      const firstBatches = sliceRows(train, 0, 256); // 4 steps
      const want = await trainHead(cpu, mlp, short, firstBatches);
      const got = await trainHead(gpu.device!, mlp, short, firstBatches);
      const wantParams = headParameters(want.head);
      headParameters(got.head).forEach((t, i) => expect(worstError(t.data as Float32Array, wantParams[i]!.data as Float32Array), `${optimizer.kind} parameter ${i}`).toBeLessThan(1e-5));
      expect(Math.abs(got.history[0]!.trainLoss - want.history[0]!.trainLoss)).toBeLessThan(1e-4);
    }
  });

  it('batches gathered on the device and on the host (a data set too large for one binding) are the same', async () => {
    const device = gpu.device!;
    const indices = Int32Array.of(5, 0, 1199, 17, 5);
    const read = async (limit: number) => {
      const source = batchSource(device, train.features, train.labels, 12, limit);
      const { x, labels } = await source.batch(indices);
      const values = [Array.from(await device.read(x)), Array.from(await device.read(labels))];
      x.dispose();
      labels.dispose();
      source.dispose();
      return values;
    };
    const resident = await read(Infinity);
    expect(await read(0)).toEqual(resident);
    expect(resident[1]).toEqual(Array.from(indices, (r) => train.labels[r]!));
    expect(resident[0]!.slice(24, 36)).toEqual(Array.from(train.features.subarray(1199 * 12, 1200 * 12)));
  });

  it('converges on separable blobs: validation accuracy ≥ 0.95, softmax and MLP', async () => {
    for (const spec of [{ head: 'softmax', inputDim: 12, classes: 4 } as const, mlp]) {
      const result = await trainHead(gpu.device!, spec, options, train, { validation });
      const losses = result.history.map((h) => h.trainLoss);
      expect(losses[losses.length - 1]!, spec.head).toBeLessThan(losses[0]!);
      const probabilities = await predictProbabilities(gpu.device!, result.head, validation.features);
      expect(validationMetrics(probabilities, validation.labels, 4).accuracy, spec.head).toBeGreaterThanOrEqual(0.95);
    }
  });
});
