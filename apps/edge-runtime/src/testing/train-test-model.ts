import { CpuDevice, parsePipelineConfig, Rng, runTrainingPipeline } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { idxBytes, idxTrainingEnvironment, PATTERN_SHAPES, patternPixels } from '@cvf/core/testing';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Side of the test images and the classes of the test model. */
export const TEST_IMAGE_SIZE = 16;
export const TEST_CLASSES = ['hbars', 'vbars', 'square'] as const;

/** A noisy 16×16 gray image of class `label` (see patternPixels): a pattern a HOG + softmax model learns in seconds. */
export function testPattern(label: number, rng: Rng): Uint8Array {
  return patternPixels(PATTERN_SHAPES[label]!, rng, { size: TEST_IMAGE_SIZE, noise: 20 });
}

/**
 * Trains a real (small) model on synthetic patterns (input contract: at most 64×64) through the training pipeline and registers
 * it in the SQLite store at `<dir>/.cvf` as `name`, moving `alias` to it when given. Each call
 * registers a new version; `seed` makes the versions differ. Resolves to the version and bundle.
 */
export async function trainTestModel(dir: string, options: { name: string; alias?: string; seed?: number; register?: boolean }): Promise<{ version: number | null; bundle: string; store: string }> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'images.idx'))) {
    const rng = new Rng(7);
    const count = 3 * 30;
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
    const images = new Uint8Array(count * TEST_IMAGE_SIZE ** 2);
    labels.forEach((label, i) => images.set(testPattern(label, rng), i * TEST_IMAGE_SIZE ** 2));
    writeFileSync(join(dir, 'images.idx'), idxBytes([count, TEST_IMAGE_SIZE, TEST_IMAGE_SIZE], images));
    writeFileSync(join(dir, 'labels.idx'), idxBytes([count], labels));
  }
  const register = options.register ?? true;
  const store = join(dir, '.cvf');
  const yaml = `version: 1
name: ${options.name}
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [${TEST_CLASSES.join(', ')}]
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: ${options.seed ?? 1} }
input: { maxSize: { height: 64, width: 64 } }
preprocess:
  resize: { height: ${TEST_IMAGE_SIZE}, width: ${TEST_IMAGE_SIZE} }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features:
  kind: hog
  hog: { cellSize: 4, blockSize: 2, bins: 9 }
pca: { enabled: true, components: 8 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 10, batchSize: 16, optimizer: { kind: adam, lr: 0.02 }, seed: ${options.seed ?? 1} }
registry: { register: ${register}${register ? `, modelName: ${options.name}` : ''}${options.alias ? `, alias: ${options.alias}` : ''} }
tracking: { store: ${store} }
`;
  const config = parsePipelineConfig(yaml, join(dir, 'pipeline.yaml'));
  const tracking = SqliteTrackingStore.open(store);
  try {
    const summary = await runTrainingPipeline(config, { device: new CpuDevice(), ...idxTrainingEnvironment(dir, tracking, join(store, 'bundles')) });
    return { version: summary.model?.version ?? null, bundle: summary.bundle, store };
  } finally {
    tracking.close();
  }
}
