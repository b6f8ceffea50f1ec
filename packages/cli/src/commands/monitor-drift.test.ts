import { CpuDevice, decodeInput, disposeDecodedInput, Predictor } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder, sharpImageDecoder } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { createInferenceLog } from '@cvf/edge-runtime';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// Real images: Debian's Fashion-MNIST (scripts/setup.sh installs it). The model trains on 400
// test-set images; the live windows are 60 others — as they are, 30% darker, or of one class.
const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = requireInCi("Debian's Fashion-MNIST", existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

interface DriftJson {
  drifted: boolean;
  method: string;
  statistic: number;
  pValue: number | null;
  threshold: number;
  n: number;
}

describe.skipIf(missing)('cvf monitor drift', () => {
  let dir: string;
  let store: string;
  let bundle: string;

  /** Writes images [from, from + count) of the test set (those of `label` only, when given) as PNGs, brightness × `gain`. */
  async function pngFolder(name: string, from: number, count: number, gain: number, label?: number): Promise<string> {
    const { default: sharp } = await import('sharp');
    const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
    const labels = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
    const folder = join(dir, name);
    mkdirSync(folder);
    let written = 0;
    for (let i = from; written < count; i++) {
      if (label !== undefined && labels[i] !== label) continue;
      const pixels = Uint8Array.from(images.subarray(i * 784, (i + 1) * 784), (p) => Math.round(p * gain));
      writeFileSync(join(folder, `${String(written).padStart(3, '0')}.png`), await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
      written++;
    }
    return folder;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-monitor-drift-'));
    store = join(dir, '.cvf');
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: fashion-mnist
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  limit: 400
  classes: [T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
pca: { enabled: true, components: 16 }
model: { head: softmax }
train: { epochs: 40, batchSize: 32, optimizer: { kind: adam, lr: 0.01 } }
registry: { register: true, modelName: fashion-mnist, alias: production }
compute: { device: cpu }
tracking: { store: ${store} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    // --json prints progress lines, then the summary last.
    bundle = JSON.parse(trained.stdout.trim().split('\n').at(-1)!).bundle;
    // The last 60 images of the test set: the 400 training images are a random subset of all 10,000, so these are mostly unseen.
    await pngFolder('iid', 9000, 200, 1);
    await pngFolder('dark', 9000, 60, 0.7);
    await pngFolder('trousers', 9000, 60, 1, 1);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--method all: one result per method with the issue fields, none drifting on unseen images like the training ones', async () => {
    const run = await runCli('monitor', 'drift', 'fashion-mnist@production', '--store', store, '--data', join(dir, 'iid'), '--method', 'all', '--permutations', '200', '--device', 'cpu', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as DriftJson[];
    expect(results.map((r) => r.method)).toEqual(['mmd', 'classifier', 'ks', 'psi', 'input']);
    for (const r of results) expect(Object.keys(r).sort()).toEqual(['drifted', 'method', 'n', 'pValue', 'statistic', 'threshold']);
    expect(results.map((r) => r.n)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((r) => r.threshold)).toEqual([0.05, 0.55, 0.2, 0.2, 0.05]);
    expect(results.filter((r) => r.drifted)).toEqual([]);
    expect(results[0]!.pValue).toBeGreaterThan(0.05);
    expect(results[2]!.pValue).toBeNull();
  });

  it('auto (the default) catches a 30% darker window through the input detector, which HOG features cannot see', async () => {
    const run = await runCli('monitor', 'drift', bundle, '--data', join(dir, 'dark'), '--permutations', '200', '--device', 'cpu', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { drifted: boolean; method: string; results: DriftJson[] };
    expect(result).toMatchObject({ drifted: true, method: 'auto' });
    expect(result.results.map((r) => [r.method, r.threshold])).toEqual([['mmd', 0.025], ['input', 0.025]]);
    expect(result.results[1]!.drifted).toBe(true);
  });

  it('psi sees a window of one predicted class; the plain output says so', async () => {
    const run = await runCli('monitor', 'drift', bundle, '--data', join(dir, 'trousers'), '--method', 'psi', '--device', 'cpu');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^60 images\npsi: DRIFT \(statistic [\d.]+ vs threshold 0\.2, n 60\)\n$/);
    // One class only moves many components too: the share of KS-drifted components, Benjamini–Hochberg corrected.
    const ks = await runCli('monitor', 'drift', bundle, '--data', join(dir, 'trousers'), '--method', 'ks', '--correction', 'fdr', '--device', 'cpu', '--json');
    expect(JSON.parse(ks.stdout)).toMatchObject({ method: 'ks', drifted: true, threshold: 0.2, n: 60 });
  });

  it("an inference log: this version's last --window predictions, with their features and image statistics", async () => {
    const logDir = join(dir, 'inference-log');
    const log = createInferenceLog({ dir: logDir });
    const device = new CpuDevice();
    const loaded = await readBundleFolder(bundle);
    const predictor = await Predictor.load(loaded, { device, onnxRuntime: await createOrtNodeRuntime() });
    for (const folder of ['iid', 'dark']) {
      for (let i = 0; i < 30; i++) {
        const image = await decodeInput(new Uint8Array(readFileSync(join(dir, folder, `${String(i).padStart(3, '0')}.png`))), undefined, { device, decoder: sharpImageDecoder });
        const [p] = await predictor.predict([image], { similar: 0, features: true, inputStatistics: true });
        disposeDecodedInput(image);
        log.append({ time: new Date().toISOString(), model: 'fashion-mnist', version: '1', features: p!.features!, probabilities: p!.probabilities, predictedClass: p!.classIndex, input: p!.inputStatistics! });
      }
    }
    // Another version's predictions are not this bundle's data.
    log.append({ time: new Date().toISOString(), model: 'fashion-mnist', version: '99', features: [1], probabilities: [1], predictedClass: 0 });
    await log.close();
    await predictor.release();

    const dark = await runCli('monitor', 'drift', 'fashion-mnist@production', '--store', store, '--data', logDir, '--window', '30', '--permutations', '200', '--device', 'cpu', '--json');
    expect(dark.exitCode, dark.stdout + dark.stderr).toBe(0);
    const result = JSON.parse(dark.stdout) as { drifted: boolean; results: DriftJson[] };
    expect(result.results.map((r) => r.n)).toEqual([30, 30]);
    expect(result.drifted).toBe(true);
    const mmd = await runCli('monitor', 'drift', 'fashion-mnist@1', '--store', store, '--data', logDir, '--method', 'mmd', '--permutations', '200', '--device', 'cpu', '--json');
    expect(JSON.parse(mmd.stdout)).toMatchObject({ method: 'mmd', n: 60 });
  });

  it('errors are CvfErrors with codes, as {"error":{code,message}} with --json', async () => {
    const noData = await runCli('monitor', 'drift', bundle, '--data', join(dir, 'nowhere'), '--json');
    expect(noData.exitCode).toBe(2);
    expect(JSON.parse(noData.stdout).error).toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringContaining('nowhere') });
    const method = await runCli('monitor', 'drift', bundle, '--data', join(dir, 'iid'), '--method', 'wasserstein', '--json');
    expect(JSON.parse(method.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining('mmd, classifier, ks, psi, input, auto, all') });
    const otherLog = join(dir, 'other-log');
    const log = createInferenceLog({ dir: otherLog });
    log.append({ time: new Date().toISOString(), model: 'chest-xray', version: '3', features: [1, 2], probabilities: [1], predictedClass: 0 });
    await log.close();
    const foreign = await runCli('monitor', 'drift', bundle, '--data', otherLog, '--json');
    expect(JSON.parse(foreign.stdout).error).toMatchObject({ code: 'DRIFT_INVALID_DATA', message: expect.stringContaining('it holds chest-xray@3') });
  });
});
