import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import type { CvfError } from '../../errors.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { PATTERN_SHAPES, patternPixels } from '../../node/testing/patterns.js';
import type { TrainOptions } from '../train-options.js';
import { decodeCnnCheckpoint } from './cnn-checkpoint.js';
import type { CnnSpec } from './cnn-spec.js';
import { CnnTrainer } from './cnn-trainer.js';

// The CNN trainer on a small synthetic set (noisy 12×12 bands and squares): it learns, and a run
// resumed from a checkpoint ends exactly where the uninterrupted run does.

const SIZE = 12;
const device = new CpuDevice();
const runtime = await createOrtNodeRuntime();
const spec: CnnSpec = {
  inputChannels: 1,
  height: SIZE,
  width: SIZE,
  classes: 3,
  blocks: [
    { kind: 'conv', channels: 6, kernel: 3, stride: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'residual', channels: 8, stride: 1 },
  ],
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
};

function patterns(count: number, seed: number) {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 3);
  const images = new Float32Array(count * SIZE * SIZE);
  labels.forEach((label, i) => images.set(Array.from(patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 30 }), (v) => v / 127.5 - 1), i * SIZE * SIZE));
  return { images, labels };
}
const train = patterns(90, 1);
const validation = patterns(30, 2);
const options: TrainOptions = { epochs: 4, batchSize: 16, optimizer: { kind: 'adamw', lr: 0.01, weightDecay: 0.0005 }, schedule: { kind: 'cosine' }, labelSmoothing: 0.05, earlyStopping: { enabled: false }, seed: 5 };

describe('CnnTrainer', () => {
  it('learns the shapes: validation accuracy ≥ 0.9 after four epochs, and the loss falls', async () => {
    const result = await new CnnTrainer(device, runtime, spec, options).fit(train, { validation, threads: 1 });
    expect(result.epochs).toBe(4);
    expect(result.history.at(-1)!.metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
  });

  it('a run resumed from its epoch-2 checkpoint ends with the values of the uninterrupted run', async () => {
    const checkpoints: Uint8Array[] = [];
    const whole = await new CnnTrainer(device, runtime, spec, options).fit(train, { validation, threads: 1, onCheckpoint: (bytes) => void checkpoints.push(bytes) });
    expect(checkpoints).toHaveLength(4);
    expect(decodeCnnCheckpoint(checkpoints[1]!).epoch).toBe(2);
    const resumed = await new CnnTrainer(device, runtime, spec, options).fit(train, { validation, threads: 1, resumeFrom: checkpoints[1]! });
    expect(resumed.epochs).toBe(4);
    for (const [name, data] of whole.values) expect(resumed.values.get(name), name).toEqual(data);
    expect(resumed.history.map((e) => e.trainLoss)).toEqual(whole.history.map((e) => e.trainLoss));
  });

  it('refuses a checkpoint of another network, naming both', async () => {
    const checkpoints: Uint8Array[] = [];
    await new CnnTrainer(device, runtime, spec, { ...options, epochs: 1 }).fit(train, { threads: 1, onCheckpoint: (bytes) => void checkpoints.push(bytes) });
    const wider: CnnSpec = { ...spec, blocks: [{ kind: 'conv', channels: 7, kernel: 3, stride: 1 }] };
    const error = (await new CnnTrainer(device, runtime, wider, options).fit(train, { resumeFrom: checkpoints[0]! }).then(
      () => null,
      (e: unknown) => e,
    )) as CvfError;
    expect(error.code).toBe('TRAIN_CHECKPOINT_MISMATCH');
    expect(error.message).toContain('"channels":6');
  });
});
