import { findStage } from '@cvf/core';
import { readBundleFolder } from '@cvf/core/node';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fashionMissing, writeFashionPngFolder } from '../testing/fashion-png-folder.js';
import { runCli } from '../testing/run-cli.js';

// `features.kind: sift` with VLAD pooling end to end on real Fashion-MNIST images.
const CLASSES = new Map([
  [1, 'trouser'],
  [7, 'sneaker'],
  [8, 'bag'],
]);
const PER_CLASS = 30;

const pipeline = `version: 1
name: sift-garments
data:
  source: { kind: folder, root: png }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess:
  resize: { height: 32, width: 32 }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features:
  kind: sift
  sift: { keypoints: 40, words: 8, pooling: vlad }
pca: { enabled: false }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: mlp, hidden: [32], dropout: 0 }
train:
  epochs: 15
  batchSize: 16
  optimizer: { kind: adam, lr: 0.01 }
registry: { register: true, alias: production }
`;

describe.skipIf(fashionMissing)('cvf train with features.kind sift and VLAD pooling', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-sift-'));
    await writeFashionPngFolder(join(dir, 'png'), CLASSES, PER_CLASS);
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  it('learns three garment classes well above chance from VLAD vectors of words × 128, and predicts through the registry', async () => {
    writeFileSync(join(dir, 'pipeline.yaml'), pipeline + `tracking: { store: ${join(dir, '.cvf')} }\n`);
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as { metrics: { test: { accuracy: number } }; bundle: string };
    // Chance is 1/3; local gradient statistics alone tell trousers, sneakers and bags apart.
    console.log(`test accuracy ${summary.metrics.test.accuracy}`);
    expect(summary.metrics.test.accuracy).toBeGreaterThan(0.6);
    const { manifest } = await readBundleFolder(summary.bundle);
    expect(findStage(manifest, 'extractor')!.params).toMatchObject({ kind: 'sift', sift: { keypoints: 40, words: 8, pooling: 'vlad' } });

    const folder = join(dir, 'png', 'bag');
    const predicted = await runCli('predict', 'sift-garments@production', join(folder, readdirSync(folder)[0]!), '--json', '--store', join(dir, '.cvf'));
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    const [result] = JSON.parse(predicted.stdout);
    expect(result.probabilities).toHaveLength(3);
    expect(result.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
