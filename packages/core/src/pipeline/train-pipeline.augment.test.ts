import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { parsePipelineConfig } from '../config/load.js';
import type { LabeledSample } from '../data/dataset.js';
import { PixelsExtractor } from '../features/pixels/pixels-extractor.js';
import { imageTensor } from '../image/image-tensor.js';
import { readBundleFolder } from '../node/bundle-folder.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { CORE_VERSION } from '../version.js';
import { featureMatrix } from './feature-matrix.js';
import { runTrainingPipeline } from './train-pipeline.js';
import { PATTERN_SHAPES, idxBytes, patternPixels } from '../node/testing/patterns.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// Rotation, mixup and cutmix (with flips and noise) through a whole training run, on a small
// synthetic IDX data set: three classes of noisy 16×16 images (a horizontal band through the
// middle, a vertical one, a centred square), each symmetric under the flips.

const SIZE = 16;
const PER_CLASS = 40;

const pattern = (label: number, rng: Rng) => patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 30 });

let dir: string;
const stores: SqliteTrackingStore[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-augment-'));
  const rng = new Rng(1);
  const count = 3 * PER_CLASS;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  const images = new Uint8Array(count * SIZE * SIZE);
  labels.forEach((label, i) => images.set(pattern(label, rng), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([count, SIZE, SIZE], images));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([count], labels));
});
afterAll(() => stores.forEach((s) => s.close()));

function config(augment: string) {
  const yaml = `version: 1
name: augmented-patterns
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [hbars, vbars, square]
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess:
  resize: { height: ${SIZE}, width: ${SIZE} }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
augment:
${augment}
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train:
  epochs: 15
  batchSize: 32
  optimizer: { kind: adam, lr: 0.02 }
  earlyStopping: { enabled: false }
  seed: 3
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`;
  return parsePipelineConfig(yaml, join(dir, 'pipeline.yaml'));
}

const ALL_AUGMENTATIONS = `  flip: { horizontal: 0.5 }
  rotate: { degrees: 15, probability: 0.5 }
  noise: { std: 0.05, probability: 0.3 }
  mixup: { alpha: 0.4, probability: 0.3 }
  cutmix: { alpha: 1, probability: 0.3 }`;

describe('training pipeline with device augmentation', () => {
  it('a config with rotate, mixup and cutmix trains, evaluates and writes a bundle', async () => {
    const cfg = config(ALL_AUGMENTATIONS);
    const store = SqliteTrackingStore.open(cfg.tracking.store);
    stores.push(store);
    const device = new CpuDevice();
    const summary = await runTrainingPipeline(cfg, {
      device,
      ...idxTrainingEnvironment(dir, store),
    });
    expect(summary.metrics.test.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(summary.bundle).toContain(summary.runId);
    // The bundle says which @cvf/core wrote it, whatever host ran the training.
    expect((await readBundleFolder(summary.bundle)).manifest.coreVersion).toBe(CORE_VERSION);
  });

  it('feature rows: mixed copies become two rows of weights λ and 1 − λ after the originals, deterministic for the seed', async () => {
    const cfg = config(`  mixup: { alpha: 0.4, probability: 1 }`);
    const rng = new Rng(5);
    const samples: LabeledSample[] = Array.from({ length: 9 }, (_, i) => {
      const pixels = pattern(i % 3, rng);
      return { id: `s${i}`, label: cfg.data.classes![i % 3]!, classIndex: i % 3, load: async () => imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pixels) };
    });
    const device = new CpuDevice();
    const build = () => featureMatrix(samples, { device, preprocess: cfg.preprocess, extractor: new PixelsExtractor({}, device), chunkSize: 4, augment: { config: cfg.augment, seed: 11 } });
    const m = await build();
    expect(m.weights).toBeDefined();
    const weights = m.weights!;
    // Originals first in each chunk, with weight 1.
    expect(Array.from(m.sampleIndex.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    for (let r = 0; r < m.rows; r++) if (weights[r] !== 1) expect(weights[r]).toBeGreaterThan(0);
    // Split rows come in pairs: same features and source, two labels, weights summing to 1.
    let pairs = 0;
    for (let r = 0; r + 1 < m.rows; r++) {
      if (weights[r] === 1 || m.sampleIndex[r] !== m.sampleIndex[r + 1] || weights[r + 1] === 1) continue;
      expect(m.labels[r]).not.toBe(m.labels[r + 1]);
      expect(weights[r]! + weights[r + 1]!).toBeCloseTo(1, 6);
      expect(m.features.subarray(r * m.dim, (r + 1) * m.dim)).toEqual(m.features.subarray((r + 1) * m.dim, (r + 2) * m.dim));
      pairs++;
      r++;
    }
    expect(pairs).toBeGreaterThan(0);
    const again = await build();
    expect(again.features).toEqual(m.features);
    expect(again.weights).toEqual(m.weights);
  });
});
