import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../config/load.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { CvfError } from '../errors.js';
import { decodeCheckpoint } from './checkpoint.js';
import { headParameters, type HeadSpec } from './head.js';
import { predictProbabilities } from './predict.js';
import { sliceRows, syntheticBlobs } from './synthetic-blobs.js';
import { Trainer, trainHead, type TrainResult } from './trainer.js';
import type { TrainOptions, TrainProgress } from './train-options.js';
import { validationMetrics } from './validation-metrics.js';

const cpu = new CpuDevice();
// Spread 3: the Bayes (nearest true centre) accuracy on the validation rows is 0.993; the floor is 0.95.
const data = syntheticBlobs({ rows: 1500, dim: 12, classes: 4, spread: 3, seed: 3 });
const train = sliceRows(data, 0, 1200);
const validation = sliceRows(data, 1200, 1500);
const mlp: HeadSpec = { head: 'mlp', inputDim: 12, classes: 4, hidden: [24, 16], activation: 'gelu', dropout: 0.2 };
const options: TrainOptions = {
  epochs: 4,
  batchSize: 64,
  optimizer: { kind: 'adamw', lr: 0.01, weightDecay: 1e-3 },
  schedule: { kind: 'cosine', warmupEpochs: 1 },
  labelSmoothing: 0.1,
  classWeights: 'balanced',
  gradientClip: 1,
  earlyStopping: { metric: 'accuracy', patience: 10 },
  seed: 9,
};

function values(result: TrainResult): number[][] {
  return headParameters(result.head).map((t) => Array.from(t.data as Float32Array));
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<CvfError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CvfError);
  expect((error as CvfError).code).toBe(code);
  return error as CvfError;
}

describe('Trainer on the CPU device', () => {
  it('converges on separable blobs: loss falls and validation accuracy ≥ 0.95, softmax and MLP', async () => {
    for (const spec of [{ head: 'softmax', inputDim: 12, classes: 4 } as const, mlp]) {
      const result = await trainHead(cpu, spec, { ...options, epochs: 6 }, train, { validation });
      const losses = result.history.map((h) => h.trainLoss);
      expect(losses[losses.length - 1]!, spec.head).toBeLessThan(losses[0]!);
      const probabilities = await predictProbabilities(cpu, result.head, validation.features);
      expect(validationMetrics(probabilities, validation.labels, 4).accuracy, spec.head).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('reports progress: batches every n, epochs with metrics, ETA inputs', async () => {
    const seen: TrainProgress[] = [];
    await trainHead(cpu, mlp, { ...options, epochs: 2 }, train, { validation, progressEvery: 5, onProgress: (p) => seen.push(p) });
    const batches = Math.ceil(1200 / 64);
    const perEpoch = [5, 10, 15, batches];
    expect(seen.filter((p) => p.kind === 'batch' && p.epoch === 1).map((p) => p.batch)).toEqual(perEpoch);
    const epochs = seen.filter((p) => p.kind === 'epoch');
    expect(epochs.map((p) => p.epoch)).toEqual([1, 2]);
    expect(Object.keys(epochs[0]!.metrics!).sort()).toEqual(['accuracy', 'loss']);
    const last = seen[seen.length - 1]!;
    expect(last).toMatchObject({ step: 2 * batches, totalSteps: 2 * batches, stepsThisRun: 2 * batches, epochs: 2 });
    expect(last.elapsedMs).toBeGreaterThan(0);
    for (const p of seen) expect(Number.isFinite(p.loss) && p.lr > 0).toBe(true);
  });

  it('resuming from an epoch checkpoint gives exactly the uninterrupted result', async () => {
    const checkpoints: Uint8Array[] = [];
    const full = await trainHead(cpu, mlp, options, train, { validation, onCheckpoint: (bytes) => void checkpoints.push(bytes) });
    expect(checkpoints).toHaveLength(4);
    expect(decodeCheckpoint(checkpoints[1]!).epoch).toBe(2);
    const resumed = await new Trainer(cpu, mlp, options).fit(train, { validation, resumeFrom: checkpoints[1]! });
    expect(values(resumed)).toEqual(values(full));
    expect(resumed.history.map(({ seconds: _, ...h }) => h)).toEqual(full.history.map(({ seconds: _, ...h }) => h));
    expect([resumed.epochs, resumed.bestEpoch, resumed.stoppedEarly]).toEqual([full.epochs, full.bestEpoch, full.stoppedEarly]);
  });

  it('early stopping: stops after `patience` epochs without improvement and returns the best epoch', async () => {
    const scores = [0.5, 0.7, 0.6, 0.65, 0.9];
    let calls = 0;
    const checkpoints: Uint8Array[] = [];
    const result = await trainHead(cpu, mlp, { ...options, epochs: 5, earlyStopping: { metric: 'score', patience: 2 } }, train, {
      validation,
      evaluate: () => ({ score: scores[calls++]! }),
      onCheckpoint: (bytes) => void checkpoints.push(bytes),
    });
    expect([result.epochs, result.bestEpoch, result.stoppedEarly]).toEqual([4, 2, true]);
    const atEpoch2 = decodeCheckpoint(checkpoints[1]!).parameters.map((p) => Array.from(p));
    expect(values(result)).toEqual(atEpoch2);
    expect(decodeCheckpoint(checkpoints[3]!)).toMatchObject({ stopped: true, earlyStopping: { best: 0.7, bestEpoch: 2, waited: 2 } });
  });

  it('without validation data it trains every epoch and returns the last parameters', async () => {
    const result = await trainHead(cpu, mlp, { ...options, epochs: 2 }, train);
    expect([result.epochs, result.bestEpoch, result.stoppedEarly]).toEqual([2, 2, false]);
    expect(result.history[1]!.metrics).toEqual({});
  });

  it('the same seed gives the same head; another seed another', async () => {
    const a = await trainHead(cpu, mlp, { ...options, epochs: 1 }, train);
    const b = await trainHead(cpu, mlp, { ...options, epochs: 1 }, train);
    const c = await trainHead(cpu, mlp, { ...options, epochs: 1, seed: 10 }, train);
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
  });

  it('SGD with momentum and a step schedule also converges', async () => {
    const result = await trainHead(cpu, mlp, { ...options, epochs: 5, optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4 }, schedule: { kind: 'step', stepSize: 2, gamma: 0.5 } }, train, { validation });
    expect(result.history[result.history.length - 1]!.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.history.map((h) => h.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('rejects bad data, options, metrics and checkpoints with stable codes', async () => {
    const labels = Int32Array.from(train.labels);
    labels[5] = 4;
    const bad = await expectCode(trainHead(cpu, mlp, options, { features: train.features, labels }), 'TRAIN_INVALID_DATA');
    expect(bad.message).toMatch(/label 4 of row 5/);
    await expectCode(trainHead(cpu, mlp, options, { features: train.features.subarray(1), labels: train.labels }), 'TRAIN_INVALID_DATA');
    await expectCode(() => new Trainer(cpu, mlp, { ...options, optimizer: { kind: 'lbfgs' as 'sgd', lr: 0.1 } }), 'TRAIN_INVALID_OPTIONS');
    await expectCode(() => new Trainer(cpu, mlp, { ...options, batchSize: 0 }), 'TRAIN_INVALID_OPTIONS');
    await expectCode(() => new Trainer(cpu, { ...mlp, dropout: 1 }, options), 'TRAIN_INVALID_OPTIONS');
    await expectCode(() => new Trainer(cpu, mlp, { ...options, classWeights: [1, 2] }).fit(train), 'TRAIN_INVALID_OPTIONS');
    const metric = await expectCode(trainHead(cpu, mlp, { ...options, epochs: 1, earlyStopping: { metric: 'auroc' } }, train, { validation }), 'TRAIN_METRIC_UNAVAILABLE');
    expect(metric.message).toMatch(/accuracy/);

    const checkpoints: Uint8Array[] = [];
    await trainHead(cpu, mlp, { ...options, epochs: 1 }, train, { onCheckpoint: (bytes) => void checkpoints.push(bytes) });
    const corrupt = checkpoints[0]!.slice(0, checkpoints[0]!.length - 8);
    await expectCode(new Trainer(cpu, mlp, options).fit(train, { resumeFrom: corrupt }), 'TRAIN_CHECKPOINT_INVALID');
    await expectCode(new Trainer(cpu, mlp, options).fit(train, { resumeFrom: new TextEncoder().encode('not a checkpoint') }), 'TRAIN_CHECKPOINT_INVALID');
    await expectCode(new Trainer(cpu, { ...mlp, hidden: [8] }, options).fit(train, { resumeFrom: checkpoints[0]! }), 'TRAIN_CHECKPOINT_MISMATCH');
    await expectCode(new Trainer(cpu, mlp, { ...options, labelSmoothing: 0 }).fit(train, { resumeFrom: checkpoints[0]! }), 'TRAIN_CHECKPOINT_MISMATCH');
  });

  it("takes the pipeline config's train and model sections as they are", async () => {
    const file = new URL('../../../../configs/fashion-mnist/train.yaml', import.meta.url);
    const config = parsePipelineConfig(readFileSync(file, 'utf8'), file.pathname, { overrides: ['train.epochs=2', 'train.optimizer.lr=0.01'] });
    if (config.model.head === 'knn' || config.model.head === 'cnn') throw new Error('the Fashion-MNIST pipeline trains a head');
    const result = await trainHead(cpu, { ...config.model, inputDim: 12, classes: 4 }, config.train, train, { validation });
    expect(result.history).toHaveLength(2);
    expect(result.history[1]!.metrics.accuracy).toBeGreaterThan(0.9);
  });

  it('an aborted signal stops training with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('killed by the user'));
    await expect(trainHead(cpu, mlp, options, train, { signal: controller.signal })).rejects.toThrow('killed by the user');
  });
});
