// The two bundles bench/edge serves, trained here by `cvf train` as a user would:
// (a) Fashion-MNIST: configs/fashion-mnist/train.yaml (HOG → PCA-128 → MLP) on a 6,000-image
//     subset, registered twice (two seeds) so the alias test has two versions to move between;
// (b) ResNet-18 at 224²: the ResNet-18-shaped ONNX backbone of resnet18.ts (random weights) as a
//     frozen `onnx` extractor → PCA-64 → softmax head, on Fashion-MNIST images scaled up to 224²
//     RGB by the pipeline. Its bundle holds the composed graph (preprocessing → backbone → PCA →
//     head in one ONNX model): the raw-ORT ceiling runs exactly that graph.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { encodePng, imageTensor } from '@cvf/core';
import { cvfArgs, REPO } from './cvf-cli.js';
import { RESNET18_INPUT, RESNET18_OUTPUT, resnet18Backbone } from './resnet18.js';

export const FASHION = '/usr/share/datasets/fashion-mnist';
export const FASHION_MODEL = 'fashion-mnist';

/** `cvf train … --json` in a child process (as a user runs it); its summary line. */
async function cvfTrain(args: readonly string[], env: Readonly<Record<string, string>>): Promise<{ bundle: string; model: { name: string; version: number } | null }> {
  const { stdout } = await promisify(execFile)(process.execPath, cvfArgs('train', ...args, '--json'), { cwd: REPO, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** Fashion-MNIST images of the test set: 28×28 u8 each, with its label. */
export function fashionImages(count: number): { pixels: Uint8Array; label: number }[] {
  const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
  const labels = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
  return Array.from({ length: count }, (_, i) => ({ pixels: images.slice(i * 784, (i + 1) * 784), label: labels[i]! }));
}

/** Trains and registers Fashion-MNIST versions 1 and 2 (seeds 42 and 7) in `store`. */
export async function trainFashionBundles(store: string, env: Readonly<Record<string, string>>): Promise<{ bundle: string; version: number }[]> {
  const versions: { bundle: string; version: number }[] = [];
  for (const seed of [42, 7]) {
    const summary = await cvfTrain([
      'configs/fashion-mnist/train.yaml',
      '--set', 'data.limit=6000',
      '--set', 'train.epochs=5',
      '--set', `train.seed=${seed}`,
      '--set', `tracking.store=${store}`,
      '--set', `registry={register: true, modelName: ${FASHION_MODEL}}`,
    ], env);
    versions.push({ bundle: summary.bundle, version: summary.model!.version });
  }
  return versions;
}

/** Trains the ResNet-18-shaped 224² bundle in `work`; its folder. */
export async function trainResnetBundle(work: string, env: Readonly<Record<string, string>>, size = 224): Promise<string> {
  const classes = { tshirt: 0, trouser: 1, bag: 8 } as const;
  const perClass = new Map<number, number>();
  for (const [i, { pixels, label }] of fashionImages(2000).entries()) {
    const name = Object.entries(classes).find(([, l]) => l === label)?.[0];
    if (name === undefined || (perClass.get(label) ?? 0) >= 30) continue;
    perClass.set(label, (perClass.get(label) ?? 0) + 1);
    mkdirSync(join(work, 'images', name), { recursive: true });
    writeFileSync(join(work, 'images', name, `${i}.png`), await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, pixels)));
  }
  writeFileSync(join(work, 'resnet18.onnx'), resnet18Backbone({ size }));
  writeFileSync(
    join(work, 'pipeline.yaml'),
    `version: 1
name: resnet18-${size}
data:
  source: { kind: folder, root: images }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess:
  resize: { height: ${size}, width: ${size} }
  color: rgb
  normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
features:
  kind: onnx
  onnx: { model: resnet18.onnx, inputName: ${RESNET18_INPUT}, outputName: ${RESNET18_OUTPUT}, batchSize: 16 }
pca: { enabled: true, components: 32 }
index: { kind: flat, metric: cosine, k: 5 }
model: { head: softmax }
train: { epochs: 10, batchSize: 16, optimizer: { kind: adam, lr: 0.01 } }
tracking: { store: ${join(work, '.cvf')} }
`,
  );
  return (await cvfTrain([join(work, 'pipeline.yaml')], env)).bundle;
}
