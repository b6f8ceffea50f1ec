import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStage, requireStage, type Bundle } from '../bundle/bundle.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { parsePipelineConfig } from '../config/load.js';
import { imageTensor } from '../image/image-tensor.js';
import { readBundleFolder } from '../node/bundle-folder.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { Predictor } from './predictor.js';
import { runTrainingPipeline } from './train-pipeline.js';
import { PATTERN_SHAPES, idxBytes, patternPixels } from '../node/testing/patterns.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// What a training run writes into a bundle for serving by default: a calibrated temperature when
// there is a val split, an out-of-distribution threshold from the training cases' own
// nearest-neighbour distances, and the input contract — on three classes of noisy 16×16 patterns.

const SIZE = 16;
const PER_CLASS = 40;

const pattern = (label: number, rng: Rng) => patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 30 });

let dir: string;
const stores: SqliteTrackingStore[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-serving-defaults-'));
  const rng = new Rng(1);
  const count = 3 * PER_CLASS;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  const images = new Uint8Array(count * SIZE * SIZE);
  labels.forEach((label, i) => images.set(pattern(label, rng), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([count, SIZE, SIZE], images));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([count], labels));
});
afterAll(() => stores.forEach((s) => s.close()));

/** Trains the pipeline (no `postprocess` section: its defaults) and returns the run's bundle and logged temperature. */
async function train(splits: string, extra = ''): Promise<{ bundle: Bundle; temperature: number }> {
  const yaml = `version: 1
name: patterns
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [hbars, vbars, square]
  splits: ${splits}
preprocess:
  resize: { height: ${SIZE}, width: ${SIZE} }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train:
  epochs: 10
  batchSize: 32
  optimizer: { kind: adam, lr: 0.05 }
  earlyStopping: { enabled: false }
  seed: 3
${extra}registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`;
  const config = parsePipelineConfig(yaml, join(dir, 'pipeline.yaml'));
  const store = SqliteTrackingStore.open(config.tracking.store);
  stores.push(store);
  const summary = await runTrainingPipeline(config, {
    device: new CpuDevice(),
    ...idxTrainingEnvironment(dir, store),
  });
  const [logged] = await store.getMetricHistory(summary.runId, 'postprocess.temperature');
  return { bundle: await readBundleFolder(summary.bundle), temperature: logged!.value };
}

describe('what a training run writes for serving', () => {
  let bundle: Bundle;
  let temperature: number;
  beforeAll(async () => {
    ({ bundle, temperature } = await train('{ train: 0.6, val: 0.2, test: 0.2, seed: 1 }', 'input: { minSize: { height: 8, width: 8 } }\n'));
  });

  it('calibrates by default: with a val split the temperature is fitted on it, not left at 1', () => {
    expect(temperature).not.toBe(1);
    expect(findStage(bundle.manifest, 'postprocess')!.params.temperature).toBe(temperature);
  });

  it('without a val split the default temperature is 1 and the pipeline still trains', async () => {
    const run = await train('{ train: 0.8, val: 0, test: 0.2, seed: 1 }');
    expect(run.temperature).toBe(1);
  });

  it("stores the 99th percentile of the training cases' leave-one-out nearest-case distance, and the input contract", () => {
    const ood = requireStage(bundle.manifest, 'index').outOfDistribution!;
    expect(ood).toMatchObject({ quantile: 0.99, samples: 72 });
    expect(ood.threshold).toBeGreaterThan(0);
    expect(ood.threshold).toBeLessThan(1);
    expect(bundle.manifest.input).toMatchObject({ height: SIZE, width: SIZE, channels: 1, modalities: [], minSize: { height: 8, width: 8 } });
  });

  it('flags a prediction whose nearest case is beyond the threshold, with the distance and the threshold; new images of the classes pass', async () => {
    const predictor = await Predictor.load(bundle, { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
    const rng = new Rng(99);
    const familiar = Array.from({ length: 12 }, (_, i) => imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pattern(i % 3, rng)));
    // A diagonal line: nothing like a band or a square.
    const diagonal = imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, Uint8Array.from({ length: SIZE * SIZE }, (_, i) => (Math.abs((i % SIZE) - Math.floor(i / SIZE)) < 2 ? 250 : 0)));
    const predictions = await predictor.predict([...familiar, diagonal], { similar: 0 });
    const threshold = requireStage(bundle.manifest, 'index').outOfDistribution!.threshold;
    for (const p of predictions.slice(0, 12)) expect(p).toMatchObject({ outOfDistribution: false, distanceThreshold: threshold });
    const odd = predictions[12]!;
    expect(odd.outOfDistribution).toBe(true);
    expect(odd.nearestCaseDistance).toBeGreaterThan(threshold);
    expect(odd.distanceThreshold).toBe(threshold);
    expect(odd.similar).toEqual([]);
    await predictor.release();
  });

  it('a bundle written before the threshold existed still loads and predicts, without the flag', async () => {
    const index = requireStage(bundle.manifest, 'index');
    const { outOfDistribution: _dropped, ...older } = index;
    const manifest = { ...bundle.manifest, stages: bundle.manifest.stages.map((s) => (s === index ? older : s)) };
    const predictor = await Predictor.load({ ...bundle, manifest }, { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
    const [p] = await predictor.predict([imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pattern(0, new Rng(5)))]);
    expect(p!.label).toBe('hbars');
    expect(p).not.toHaveProperty('outOfDistribution');
    await predictor.release();
  });
});
