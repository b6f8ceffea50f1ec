import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { CvfError } from '../errors.js';
import { gpuForTests } from '../node/testing/index.js';
import { batchSource } from './batch-source.js';
import { headParameters, type HeadSpec } from './head.js';
import { syntheticBlobs } from './synthetic-blobs.js';
import { Trainer, trainHead, type LabeledFeatures, type TrainResult } from './trainer.js';
import type { TrainOptions } from './train-options.js';

// Per-row sample weights (a mixup copy is two rows weighted λ and 1 − λ): the loss is
// Σ s_r·w[y_r]·CE_r / Σ s_r·w[y_r]. These tests pin that meaning through whole training runs.

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const data = syntheticBlobs({ rows: 120, dim: 6, classes: 3, spread: 2, seed: 5 });
const softmax: HeadSpec = { head: 'softmax', inputDim: 6, classes: 3 };
// One full batch per epoch and no dropout: which rows share a batch, and in what order they are
// summed, cannot differ between the runs compared below.
const fullBatch: TrainOptions = { epochs: 5, batchSize: 1000, optimizer: { kind: 'adam', lr: 0.05 }, labelSmoothing: 0.1, classWeights: [1, 2, 0.5], seed: 4 };

function values(result: TrainResult): number[][] {
  return headParameters(result.head).map((t) => Array.from(t.data as Float32Array));
}

function worstDifference(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
}

/** Rows of `data` picked by index (repeats allowed). */
function pick(source: LabeledFeatures, rows: readonly number[], weights?: readonly number[]): LabeledFeatures {
  const dim = source.features.length / source.labels.length;
  const features = new Float32Array(rows.length * dim);
  rows.forEach((row, k) => features.set(source.features.subarray(row * dim, (row + 1) * dim), k * dim));
  return { features, labels: Int32Array.from(rows, (row) => source.labels[row]!), ...(weights ? { weights: Float32Array.from(weights) } : {}) };
}

const all = Array.from({ length: 120 }, (_, i) => i);

describe('Trainer sample weights', () => {
  it('all weights 1 is exactly the unweighted run', async () => {
    const plain = await trainHead(cpu, softmax, { ...fullBatch, batchSize: 16 }, data);
    const ones = await trainHead(cpu, softmax, { ...fullBatch, batchSize: 16 }, { ...data, weights: new Float32Array(120).fill(1) });
    expect(values(ones)).toEqual(values(plain));
    expect(ones.history.map((h) => h.trainLoss)).toEqual(plain.history.map((h) => h.trainLoss));
  });

  it('rows of weight 0 are ignored: the same head as training without them', async () => {
    const kept = all.filter((i) => i % 3 !== 0);
    const without = await trainHead(cpu, softmax, fullBatch, pick(data, kept));
    const zeroed = await trainHead(cpu, softmax, fullBatch, { ...data, weights: Float32Array.from(all, (i) => (i % 3 !== 0 ? 1 : 0)) });
    // Equal up to the order in which the batch's rows are summed (the shuffles differ).
    expect(worstDifference(values(zeroed), values(without))).toBeLessThan(1e-6);
    expect(zeroed.history.at(-1)!.trainLoss).toBeCloseTo(without.history.at(-1)!.trainLoss, 6);
  });

  it('a row of weight 2 counts as the row twice; a λ / 1 − λ pair of one row as the row once', async () => {
    const doubled = await trainHead(cpu, softmax, fullBatch, pick(data, [...all, ...all.slice(0, 30)]));
    const weighted = await trainHead(cpu, softmax, fullBatch, { ...data, weights: Float32Array.from(all, (i) => (i < 30 ? 2 : 1)) });
    expect(worstDifference(values(weighted), values(doubled))).toBeLessThan(1e-6);

    const split = await trainHead(cpu, softmax, fullBatch, pick(data, [...all, ...all.slice(0, 30)], [...all.map((i) => (i < 30 ? 0.3 : 1)), ...new Array<number>(30).fill(0.7)]));
    const plain = await trainHead(cpu, softmax, fullBatch, data);
    expect(worstDifference(values(split), values(plain))).toBeLessThan(1e-6);
  });

  it('weights change the result: down-weighting a class moves the head', async () => {
    const plain = await trainHead(cpu, softmax, fullBatch, data);
    const skewed = await trainHead(cpu, softmax, fullBatch, { ...data, weights: Float32Array.from(data.labels, (y) => (y === 0 ? 0.1 : 1)) });
    expect(worstDifference(values(skewed), values(plain))).toBeGreaterThan(1e-3);
  });

  it('resuming a weighted run from a checkpoint gives exactly the uninterrupted result', async () => {
    const mlp: HeadSpec = { head: 'mlp', inputDim: 6, classes: 3, hidden: [8], activation: 'relu', dropout: 0.1 };
    const options = { ...fullBatch, batchSize: 16, epochs: 3 };
    const weighted = { ...data, weights: Float32Array.from(all, (i) => 0.25 + (i % 4) / 4) };
    const checkpoints: Uint8Array[] = [];
    const full = await trainHead(cpu, mlp, options, weighted, { onCheckpoint: (bytes) => void checkpoints.push(bytes) });
    const resumed = await new Trainer(cpu, mlp, options).fit(weighted, { resumeFrom: checkpoints[0]! });
    expect(values(resumed)).toEqual(values(full));
  });

  it('rejects weights of the wrong length, negative or not finite, with TRAIN_INVALID_DATA', async () => {
    for (const weights of [new Float32Array(119).fill(1), Float32Array.from(all, (i) => (i === 7 ? -1 : 1)), Float32Array.from(all, (i) => (i === 3 ? NaN : 1))]) {
      const error = await trainHead(cpu, softmax, fullBatch, { ...data, weights }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CvfError);
      expect((error as CvfError).code).toBe('TRAIN_INVALID_DATA');
    }
  });

  it.skipIf(!gpu.device)('WebGPU: a weighted run equals the CPU run within 1e-5', async () => {
    const weighted = { ...data, weights: Float32Array.from(all, (i) => (i % 5 === 0 ? 0 : 0.5 + (i % 3) / 2)) };
    const options = { ...fullBatch, batchSize: 32 };
    const want = values(await trainHead(cpu, softmax, options, weighted));
    expect(worstDifference(values(await trainHead(gpu.device!, softmax, options, weighted)), want)).toBeLessThan(1e-5);
  });

  it.skipIf(!gpu.device)('WebGPU: weights gathered on the device and on the host (a data set too large for one binding) are the same', async () => {
    const device = gpu.device!;
    const weights = Float32Array.from(all, (i) => i / 8);
    const indices = Int32Array.of(5, 0, 119, 17, 5);
    const read = async (limit: number) => {
      const source = batchSource(device, data.features, data.labels, 6, limit, weights);
      const batch = await source.batch(indices);
      const got = Array.from(await device.read(batch.weights!));
      for (const t of [batch.x, batch.labels, batch.weights!]) t.dispose();
      source.dispose();
      return got;
    };
    expect(await read(Infinity)).toEqual(Array.from(indices, (r) => weights[r]!));
    expect(await read(0)).toEqual(Array.from(indices, (r) => weights[r]!));
  });
});
