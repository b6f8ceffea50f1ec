import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStage } from '../bundle/bundle.js';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import { parsePipelineConfig } from '../config/load.js';
import { imageTensor } from '../image/image-tensor.js';
import { readBundleFolder } from '../node/bundle-folder.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { gpuForTests } from '../node/testing/index.js';
import { idxBytes, PATTERN_SHAPES, patternPixels } from '../node/testing/patterns.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { Predictor } from './predictor.js';
import { runTrainingPipeline, type TrainSummary } from './train-pipeline.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// model.head: cnn in a whole training run on a WebGPU device (lavapipe here): the network trains
// through the tape, with flips drawn per batch on the GPU, to what the same run trains on the CPU,
// and its bundle serves like the CPU-trained one.

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const SIZE = 10;
const IMAGES = 60;
let dir: string;
let pixels: Uint8Array;
const stores: SqliteTrackingStore[] = [];
const runtime = await createOrtNodeRuntime();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-cnn-webgpu-'));
  const rng = new Rng(3);
  pixels = new Uint8Array(IMAGES * SIZE * SIZE);
  const labels = Uint8Array.from({ length: IMAGES }, (_, i) => i % PATTERN_SHAPES.length);
  labels.forEach((label, i) => pixels.set(patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 40 }), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([IMAGES, SIZE, SIZE], pixels));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([IMAGES], labels));
});
afterAll(() => stores.forEach((s) => s.close()));

const config = (device: 'cpu' | 'webgpu') => `version: 1
name: cnn-${device}
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [horizontal, vertical, square]
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess: { resize: { height: ${SIZE}, width: ${SIZE} }, color: gray, normalize: { mean: [0.4], std: [0.3] } }
augment: { flip: { horizontal: 0.5 } }
features: { kind: pixels }
model:
  head: cnn
  cnn: { blocks: [{ kind: conv, channels: 4 }, { kind: maxpool }, { kind: residual, channels: 6 }], bnMomentum: 0.5, threads: 1 }
train: { epochs: 5, batchSize: 12, optimizer: { kind: adam, lr: 0.02 }, schedule: { kind: constant }, earlyStopping: { metric: accuracy, patience: 3 }, seed: 7 }
index: { kind: flat, metric: cosine, k: 3 }
registry: { register: false }
compute: { device: ${device} }
tracking: { store: ${join(dir, `.cvf-${device}`)} }
`;

async function train(device: Device): Promise<TrainSummary> {
  const cfg = parsePipelineConfig(config(device.backend), join(dir, `cnn-${device.backend}.yaml`));
  const store = SqliteTrackingStore.open(cfg.tracking.store);
  stores.push(store);
  return runTrainingPipeline(cfg, {
    device,
    onnxRuntime: runtime,
    ...idxTrainingEnvironment(dir, store),
  });
}

describe.skipIf(!gpu.device)('model.head: cnn in a training run on WebGPU', () => {
  it('trains through the tape to the CPU run\'s validation loss and test accuracy, and its bundle serves the CPU-trained bundle\'s probabilities (1e-4)', { timeout: 120_000 }, async () => {
    const cpu = await train(new CpuDevice());
    const webgpu = await train(gpu.device!);
    expect(webgpu.validation.loss).toBeCloseTo(cpu.validation.loss!, 4);
    expect(webgpu.metrics.test.accuracy).toBe(cpu.metrics.test.accuracy);

    // Both bundles through the CPU Predictor, as cvf predict and the edge runtime load them.
    const decoded = Array.from({ length: IMAGES }, (_, i) => imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pixels.slice(i * SIZE * SIZE, (i + 1) * SIZE * SIZE)));
    const serve = async (summary: TrainSummary) => {
      const bundle = await readBundleFolder(summary.bundle);
      expect(findStage(bundle.manifest, 'extractor')!.params.kind).toBe('onnx');
      const predictor = await Predictor.load(bundle, { device: new CpuDevice(), onnxRuntime: runtime });
      const predictions = await predictor.predict(decoded);
      await predictor.release();
      return predictions;
    };
    const [fromCpu, fromWebgpu] = [await serve(cpu), await serve(webgpu)];
    fromWebgpu.forEach((p, i) => {
      expect(p.classIndex).toBe(fromCpu[i]!.classIndex);
      p.probabilities.forEach((q, c) => expect(Math.abs(q - fromCpu[i]!.probabilities[c]!)).toBeLessThan(1e-4));
    });
  });
});
