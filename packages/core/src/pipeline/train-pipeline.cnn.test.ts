import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { findStage } from '../bundle/bundle.js';
import { CpuDevice } from '../compute/cpu-device.js';
import { createOrtFastMatmul } from '../compute/fast-matmul/ort-fast-matmul.js';
import { parsePipelineConfig } from '../config/load.js';
import { readIdx } from '../data/idx.js';
import { CvfError } from '../errors.js';
import { imageTensor } from '../image/image-tensor.js';
import { readBundleFolder } from '../node/bundle-folder.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { idxBytes } from '../node/testing/patterns.js';
import { requireInCi } from '../node/testing/require-in-ci.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { Predictor } from './predictor.js';
import { runTrainingPipeline, type TrainSummary } from './train-pipeline.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// model.head: cnn through a whole training run on a subset of the real Fashion-MNIST (Debian's
// dataset-fashion-mnist): it beats HOG + PCA + MLP configured as configs/fashion-mnist/train.yaml,
// trained on the same images and scored on the same test images, and its bundle serves like any
// other — one composed ONNX graph equal to the staged path, what the run evaluated.
// Measured on these 2000 training images (1700 after the split) and t10k's first 1000 (CPU path):
// HOG + PCA + MLP 0.835 as shipped (seed 42; seeds 1, 2, 3, 4: 0.844, 0.853, 0.837, 0.844); this
// CNN at 8 epochs 0.861 (seed 3; seeds 5, 11: 0.855, 0.854), 0.019–0.026 ahead of the shipped
// baseline — hence MARGIN. At 6 epochs 0.845–0.850, at 10 epochs 0.853–0.869. On 900 images the
// two draw level (HOG 0.822–0.827, the CNN 0.808–0.821 at 6 epochs, 0.822–0.836 at 20, 0.835–0.843
// with cutmix at twice the CPU): the pixels pay off once there are enough of them.

const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/train-images-idx3-ubyte.gz`) || `no ${FASHION}`);
const TRAIN = 2000;
const TEST = 1000;

let dir: string;
const stores: SqliteTrackingStore[] = [];
const runtime = await createOrtNodeRuntime();
const fastMatmul = createOrtFastMatmul(runtime);

beforeAll(async () => {
  if (missing) return;
  dir = mkdtempSync(join(tmpdir(), 'cvf-cnn-'));
  const subset = async (name: string, from: number, count: number) => {
    const images = await readIdx(readFileSync(`${FASHION}/${name}-images-idx3-ubyte.gz`));
    const labels = await readIdx(readFileSync(`${FASHION}/${name}-labels-idx1-ubyte.gz`));
    writeFileSync(join(dir, `${name}-images.idx`), idxBytes([count, 28, 28], (images.data as Uint8Array).slice(from * 784, (from + count) * 784)));
    writeFileSync(join(dir, `${name}-labels.idx`), idxBytes([count], (labels.data as Uint8Array).slice(from, from + count)));
  };
  await subset('train', 0, TRAIN);
  await subset('t10k', 0, TEST);
});
afterAll(async () => {
  stores.forEach((s) => s.close());
  await fastMatmul.release();
});

function config(model: string, name: string) {
  const yaml = `version: 1
name: ${name}
data:
  source: { kind: idx, images: train-images.idx, labels: train-labels.idx }
  test: { kind: idx, images: t10k-images.idx, labels: t10k-labels.idx }
  classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]
  splits: { train: 0.85, val: 0.15, test: 0, seed: 1 }
preprocess:
  resize: { height: 28, width: 28 }
  color: gray
  normalize: { mean: [0.286], std: [0.353] }
${model}
index: { kind: flat, metric: cosine, k: 5 }
registry: { register: false }
compute: { device: cpu }
tracking: { store: ${join(dir, '.cvf')} }
`;
  return parsePipelineConfig(yaml, join(dir, `${name}.yaml`));
}

// A narrow plain CNN, few multiply-adds so the test stays short. The third max-pool and the conv
// at 3×3 give the last layer the whole 28×28 image as its receptive field, so global average
// pooling keeps where a garment's parts are.
const CNN = `features: { kind: pixels }
augment: { flip: { horizontal: 0.5 } }
pca: { enabled: true, components: 24 }
model:
  head: cnn
  cnn:
    blocks:
      - { kind: conv, channels: 16 }
      - { kind: maxpool }
      - { kind: conv, channels: 32 }
      - { kind: maxpool }
      - { kind: conv, channels: 64 }
      - { kind: maxpool }
      - { kind: conv, channels: 64 }
train: { epochs: 8, batchSize: 32, optimizer: { kind: adamw, lr: 0.01, weightDecay: 0.0005 }, schedule: { kind: cosine, warmupEpochs: 1 }, labelSmoothing: 0.1, earlyStopping: { enabled: false }, seed: 3 }`;

const MARGIN = 0.01;

// The baseline as shipped: train.yaml's augment, features, pca, model and train sections, unchanged.
const shipped = parse(readFileSync(new URL('../../../../configs/fashion-mnist/train.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const HOG = stringify({ augment: shipped.augment, features: shipped.features, pca: shipped.pca, model: shipped.model, train: shipped.train });

async function train(text: string, name: string): Promise<TrainSummary> {
  const cfg = config(text, name);
  const store = SqliteTrackingStore.open(cfg.tracking.store);
  stores.push(store);
  return runTrainingPipeline(cfg, {
    device: new CpuDevice(),
    onnxRuntime: runtime,
    fastMatmul, // PCA's products in ONNX Runtime's MLAS, as cvf train does in Node
    ...idxTrainingEnvironment(dir, store),
  });
}

describe.skipIf(missing)('model.head: cnn in a training run', () => {
  it('a short CNN run beats HOG + PCA + MLP (train.yaml) on the same 1700 training and 1000 test images; its bundle serves in one composed graph, as evaluated', { timeout: 600_000 }, async () => {
    const hog = await train(HOG, 'hog-mlp');
    const cnn = await train(CNN, 'small-cnn');
    expect(cnn.metrics.test.accuracy!).toBeGreaterThan(hog.metrics.test.accuracy! + MARGIN);

    const bundle = await readBundleFolder(cnn.bundle);
    const extractor = findStage(bundle.manifest, 'extractor')!;
    expect(extractor.params.kind).toBe('onnx');
    expect(findStage(bundle.manifest, 'composed')).toBeDefined();
    // The test images, through the bundle as cvf predict and the edge runtime load it.
    const images = await readIdx(readFileSync(join(dir, 't10k-images.idx')));
    const labels = await readIdx(readFileSync(join(dir, 't10k-labels.idx')));
    const decoded = Array.from({ length: TEST }, (_, i) => imageTensor('u8', { height: 28, width: 28, channels: 1 }, (images.data as Uint8Array).slice(i * 784, (i + 1) * 784)));
    const composed = await Predictor.load(bundle, { device: new CpuDevice(), onnxRuntime: runtime });
    const staged = await Predictor.load(bundle, { device: new CpuDevice(), onnxRuntime: runtime, composed: false });
    expect(composed.forward).toBe('composed');
    const viaGraph = await composed.predict(decoded, { similar: 1, features: true });
    const viaStages = await staged.predict(decoded, { similar: 1 });
    const correct = viaGraph.filter((p, i) => p.classIndex === (labels.data as Uint8Array)[i]).length;
    expect(correct / TEST).toBeCloseTo(cnn.metrics.test.accuracy!, 6);
    viaGraph.forEach((p, i) => {
      expect(p.features).toHaveLength(24); // the embedding after PCA: what the case index searches
      p.probabilities.forEach((q, c) => expect(Math.abs(q - viaStages[i]!.probabilities[c]!)).toBeLessThan(1e-4));
    });
    await composed.release();
    await staged.release();
  });

  it('refuses a cnn over features other than pixels, at the line of features.kind', () => {
    const text = CNN.replace('features: { kind: pixels }', 'features: { kind: hog }');
    let error: unknown;
    try {
      config(text, 'bad-cnn');
    } catch (caught) {
      error = caught;
    }
    expect((error as CvfError).code).toBe('CONFIG_INVALID');
    expect((error as CvfError).message).toMatch(/features\.kind.*pixels/s);
    expect((error as CvfError).message).toMatch(/bad-cnn\.yaml:\d+/);
  });
});
