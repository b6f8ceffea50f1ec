import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStage } from '../bundle/bundle.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { parsePipelineConfig } from '../config/load.js';
import { readIdx } from '../data/idx.js';
import { readBundleFolder } from '../node/bundle-folder.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { idxBytes } from '../node/testing/patterns.js';
import { requireInCi } from '../node/testing/require-in-ci.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { runTrainingPipeline } from './train-pipeline.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// train.pretrain and train.fixmatch wired through a whole (tiny) model.head cnn run: the run
// pre-trains, trains with FixMatch over data.unlabelled, logs both, and bundles the network. Whether
// they help is the trainers' tests' question (train/contrastive, train/fixmatch).

const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/train-images-idx3-ubyte.gz`) || `no ${FASHION}`);
let dir: string;
let store: SqliteTrackingStore | undefined;
afterAll(() => store?.close());

beforeAll(async () => {
  if (missing) return;
  dir = mkdtempSync(join(tmpdir(), 'cvf-semi-'));
  const images = (await readIdx(readFileSync(`${FASHION}/train-images-idx3-ubyte.gz`))).data as Uint8Array;
  const labels = (await readIdx(readFileSync(`${FASHION}/train-labels-idx1-ubyte.gz`))).data as Uint8Array;
  const write = (name: string, from: number, count: number, withLabels: boolean) => {
    writeFileSync(join(dir, `${name}-images.idx`), idxBytes([count, 28, 28], images.slice(from * 784, (from + count) * 784)));
    if (withLabels) writeFileSync(join(dir, `${name}-labels.idx`), idxBytes([count], labels.slice(from, from + count)));
  };
  write('train', 0, 100, true);
  write('pool', 100, 64, false);
});

describe.skipIf(missing)('train.pretrain and train.fixmatch in a model.head cnn run', () => {
  it('pre-trains, trains with FixMatch over the unlabelled pool, logs both and bundles the network', { timeout: 300_000 }, async () => {
    const yaml = `version: 1
name: semi
data:
  source: { kind: idx, images: train-images.idx, labels: train-labels.idx }
  unlabelled: { kind: idx, images: pool-images.idx }
  classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]
  splits: { train: 0.7, val: 0.15, test: 0.15, seed: 1 }
preprocess:
  resize: { height: 14, width: 14 }
  color: gray
  normalize: { mean: [0.286], std: [0.353] }
features: { kind: pixels }
model:
  head: cnn
  cnn: { blocks: [{ kind: conv, channels: 4 }, { kind: maxpool }, { kind: conv, channels: 8 }] }
train:
  epochs: 1
  batchSize: 16
  seed: 2
  pretrain: { method: simclr, epochs: 1, batch: 32, projectionDim: 8 }
  fixmatch: { threshold: 0.5, ratio: 2 }
index: { kind: flat, metric: cosine, k: 3 }
registry: { register: false }
compute: { device: cpu }
tracking: { store: ${join(dir, '.cvf')} }
`;
    const config = parsePipelineConfig(yaml, join(dir, 'semi.yaml'));
    store = SqliteTrackingStore.open(config.tracking.store);
    const summary = await runTrainingPipeline(config, {
      device: new CpuDevice(),
      onnxRuntime: await createOrtNodeRuntime(),
      ...idxTrainingEnvironment(dir, store),
    });
    const logged = async (key: string) => (await store!.getMetricHistory(summary.runId, key)).map((p) => p.value);
    expect(await logged('pretrain.loss')).toHaveLength(1);
    const maskRate = await logged('fixmatch.maskRate');
    expect(maskRate).toHaveLength(1);
    expect(maskRate[0]).toBeGreaterThanOrEqual(0);
    expect(maskRate[0]).toBeLessThanOrEqual(1);
    expect(summary.metrics.test.accuracy).toBeGreaterThanOrEqual(0);
    const bundle = await readBundleFolder(summary.bundle);
    expect(findStage(bundle.manifest, 'extractor')!.params.kind).toBe('onnx');
  });
});
