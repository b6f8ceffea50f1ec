import { findStage } from '@cvf/core';
import { readBundleFolder } from '@cvf/core/node';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fashionMissing, writeFashionPngFolder } from '../testing/fashion-png-folder.js';
import { runCli } from '../testing/run-cli.js';

// `features.kind: orb` end to end: a bag of ORB visual words on real Fashion-MNIST images.
const CLASSES = new Map([
  [1, 'trouser'],
  [7, 'sneaker'],
  [8, 'bag'],
]);

const pipeline = (orb: string) => `version: 1
name: orb-garments
data:
  source: { kind: folder, root: png }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess:
  resize: { height: 64, width: 64 }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features:
  kind: orb
  orb: ${orb}
pca: { enabled: false }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: mlp, hidden: [32], dropout: 0 }
train:
  epochs: 30
  batchSize: 16
  optimizer: { kind: adam, lr: 0.01 }
registry: { register: true, alias: production }
`;

describe.skipIf(fashionMissing)('cvf train with features.kind orb', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-orb-'));
    await writeFashionPngFolder(join(dir, 'png'), CLASSES, 30);
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  it('reports a bad orb option at its line and column', async () => {
    writeFileSync(join(dir, 'bad.yaml'), pipeline('{ keypoints: 100, words: 1 }'));
    const result = await runCli('validate', join(dir, 'bad.yaml'));
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/:12:\d+.*features\.orb\.words/s);
  });

  it('trains a bag of visual words, bundles its codebook, and predicts through the registry', async () => {
    writeFileSync(join(dir, 'pipeline.yaml'), pipeline('{ keypoints: 60, fastThreshold: 20, words: 24 }') + `tracking: { store: ${join(dir, '.cvf')} }\n`);
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as { metrics: { test: { accuracy: number } }; bundle: string };
    // Three garment shapes apart well above chance (1/3) from keypoint statistics alone.
    expect(summary.metrics.test.accuracy).toBeGreaterThan(0.6);
    const { manifest } = await readBundleFolder(summary.bundle);
    expect(findStage(manifest, 'extractor')!.params).toEqual({ kind: 'orb', orb: { keypoints: 60, fastThreshold: 20, levels: 8, scaleFactor: 1.2, words: 24, pooling: 'bovw', seed: 1 } });

    const folder = join(dir, 'png', 'trouser');
    const file = join(folder, readdirSync(folder)[0]!);
    const predicted = await runCli('predict', 'orb-garments@production', file, '--json', '--store', join(dir, '.cvf'));
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    const [result] = JSON.parse(predicted.stdout);
    expect(result.probabilities).toHaveLength(3);
    expect(result.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
