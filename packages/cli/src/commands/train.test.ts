import { createSecondaryCapture, writeDicom } from '@cvf/medical';
import { bundleDigest, composedGraphInput, CpuDevice, encodePng, findStage, imageTensor, OnnxGraphBuilder, Predictor, Rng, THUMBNAIL_SIZE } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder, sharpImageDecoder } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// Real images: Debian's Fashion-MNIST (scripts/setup.sh installs it).
const FASHION = '/usr/share/datasets/fashion-mnist';
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

/** The first `perClass` images of each wanted class of the test (or train) set, as 28×28 u8 arrays. */
function fashionImages(classes: readonly number[], perClass: number, set: 't10k' | 'train' = 't10k'): { pixels: Uint8Array; label: number }[] {
  const images = gunzipSync(readFileSync(`${FASHION}/${set}-images-idx3-ubyte.gz`)).subarray(16);
  const labels = gunzipSync(readFileSync(`${FASHION}/${set}-labels-idx1-ubyte.gz`)).subarray(8);
  const out: { pixels: Uint8Array; label: number }[] = [];
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!classes.includes(label) || (counts.get(label) ?? 0) >= perClass) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    out.push({ pixels: images.slice(i * 784, (i + 1) * 784), label });
  }
  return out;
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

describe.skipIf(fashionMissing)('cvf train → registry → cvf predict', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-train-'));
    const names = ['tshirt', 'trouser', 'bag'];
    const images = fashionImages([0, 1, 8], 60);
    for (const [i, { pixels, label }] of images.entries()) {
      const folder = join(dir, 'png', names[[0, 1, 8].indexOf(label)]!);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${i}.png`), await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, pixels)));
    }
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: garments
data:
  source: { kind: folder, root: png }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess:
  resize: { height: 28, width: 28 }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
augment:
  flip: { horizontal: 0.5 }
features:
  kind: hog
  hog: { cellSize: 4, blockSize: 2, bins: 9 }
pca: { enabled: true, components: 16 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: mlp, hidden: [32], dropout: 0 }
train:
  epochs: 15
  batchSize: 16
  optimizer: { kind: adam, lr: 0.01 }
postprocess: { temperature: fit, topK: 2 }
registry: { register: true, alias: production }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
  });

  it('trains a folder of PNGs, registers the version as production, and predicts a PNG with similar cases', async () => {
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'progress').map((l) => l.stage)).toEqual(expect.arrayContaining(['data', 'features', 'pca', 'index', 'train', 'evaluate', 'bundle']));
    const summary = lastJsonLine(trained.stdout) as { runId: string; metrics: { test: { accuracy: number }; val: { accuracy: number } }; bundle: string; model: { name: string; version: number } };
    expect(summary.model).toEqual({ name: 'garments', version: 1 });
    expect(summary.metrics.test.accuracy).toBeGreaterThan(0.85);
    expect(existsSync(join(summary.bundle, 'manifest.json'))).toBe(true);

    const models = JSON.parse((await runCli('models', 'list', '--json', '--store', join(dir, '.cvf'))).stdout);
    expect(models[0]).toMatchObject({ name: 'garments', version: 1, aliases: ['production'], runId: summary.runId, bundle: summary.bundle });
    const run = JSON.parse((await runCli('runs', 'show', summary.runId, '--json', '--store', join(dir, '.cvf'))).stdout);
    expect(run.status).toBe('finished');
    expect(run.latestMetrics['test.accuracy']).toBeCloseTo(summary.metrics.test.accuracy, 10);
    expect(run.latestMetrics['val.accuracy']).toBeCloseTo(summary.metrics.val.accuracy, 10); // the evaluation, not the last epoch

    const png = join(dir, 'png', 'trouser');
    const file = join(png, readFileSyncDir(png)[0]!);
    const predicted = await runCli('predict', 'garments@production', file, '--json', '--store', join(dir, '.cvf'));
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    const [result] = JSON.parse(predicted.stdout);
    expect(result).toMatchObject({ file, label: 'trouser', classIndex: 1 });
    expect(result.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    // The temperature fitted on val is in the bundle and in the run; the top classes follow topK.
    const { manifest } = await readBundleFolder(summary.bundle);
    // The registry sealed the manifest it registered.
    expect(models[0].bundleDigest).toBe(await bundleDigest(manifest));
    const postprocess = findStage(manifest, 'postprocess')!.params;
    expect(postprocess.topK).toBe(2);
    expect(postprocess.temperature).not.toBe(1);
    expect(run.latestMetrics['postprocess.temperature']).toBeCloseTo(postprocess.temperature, 5);
    // The drift reference describes the training cases in PCA space (16 components).
    const reference = findStage(manifest, 'reference')!.params;
    expect(reference).toMatchObject({ space: 'pca', dim: 16 });
    expect(reference.count).toBeGreaterThan(90);
    expect(reference.sampleRows).toBe(reference.count);
    expect(result.top.map((t: { label: string }) => t.label)).toHaveLength(2);
    expect(result.top[0]).toEqual({ classIndex: 1, label: 'trouser', probability: result.probabilities[1] });
    expect(result.similar).toHaveLength(3);
    // The image was in the training split or not; either way its nearest cases are trousers.
    expect(result.similar[0].label).toBe('trouser');

    // Each similar case has a small picture in the bundle, for viewers to show.
    const predictor = await Predictor.load(await readBundleFolder(summary.bundle), { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
    const thumbnail = predictor.thumbnail(result.similar[0].id)!;
    expect(thumbnail.shape).toEqual([THUMBNAIL_SIZE, THUMBNAIL_SIZE, 1]);
    expect(Math.max(...thumbnail.data)).toBeGreaterThan(100);
    expect(predictor.thumbnail('no such case')).toBeNull();
    await predictor.release();
  });

  it('trains configs/medical/train.yaml on DICOM slices made from Fashion-MNIST, windowed in HU', async () => {
    const images = fashionImages([0, 1], 50);
    const root = join(dir, 'dicom');
    mkdirSync(root, { recursive: true });
    const rows = ['sopInstanceUID,label'];
    images.forEach(({ pixels, label }, i) => {
      // Pixel 0..255 → HU -1350..150 (the lung window), stored unsigned with intercept -2048.
      const stored = Uint16Array.from(pixels, (p) => Math.round((p / 255) * 1500 - 1350 + 2048));
      const sop = `2.25.${1000 + i}`;
      const file = createSecondaryCapture({
        rows: 28,
        columns: 28,
        pixels: stored,
        bitsStored: 12,
        modality: 'CT',
        rescale: { slope: 1, intercept: -2048 },
        patientId: `P${Math.floor(i / 2)}`,
        sopInstanceUID: sop,
      });
      writeFileSync(join(root, `${i}.dcm`), writeDicom(file));
      rows.push(`${sop},${label === 0 ? 'normal' : 'abnormal'}`);
    });
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    const trained = await runCli(
      'train',
      join(repo, 'configs/medical/train.yaml'),
      '--set', `data.source.root=${root}`,
      '--set', `data.source.labels.path=${join(dir, 'labels.csv')}`,
      '--set', `tracking.store=${join(dir, '.cvf-medical')}`,
      '--json',
    );
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const summary = lastJsonLine(trained.stdout) as { metrics: { test: Record<string, number> }; bundle: string; model: { name: string } };
    expect(summary.model.name).toBe('ct-slice-classifier');
    expect(summary.metrics.test.auroc).toBeGreaterThan(0.9);
    expect(summary.metrics.test.sensitivity).toBeGreaterThan(0.7);
    const { manifest } = await readBundleFolder(summary.bundle);
    expect(Object.keys(findStage(manifest, 'thresholds')!.params.perClass)).toEqual(['abnormal']);

    const predicted = await runCli('predict', summary.bundle, join(root, '1.dcm'), '--json');
    expect(predicted.exitCode, predicted.stdout + predicted.stderr).toBe(0);
    expect(JSON.parse(predicted.stdout)[0].label).toBe('abnormal');
  });

  it('the same config and seed reproduce the same head and metrics, in another store', async () => {
    const runs = [];
    for (const store of ['.cvf-repro-a', '.cvf-repro-b']) {
      const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--set', `tracking.store=${join(dir, store)}`, '--set', 'registry={register: false}', '--json');
      expect(trained.exitCode, trained.stderr).toBe(0);
      const summary = lastJsonLine(trained.stdout) as { metrics: unknown; bundle: string };
      runs.push({ metrics: summary.metrics, head: readFileSync(join(summary.bundle, 'head.bin')), index: readFileSync(join(summary.bundle, 'index.bin')) });
    }
    expect(runs[1]!.metrics).toEqual(runs[0]!.metrics);
    expect(runs[1]!.head.equals(runs[0]!.head)).toBe(true);
    expect(runs[1]!.index.equals(runs[0]!.index)).toBe(true);
  });

  it('--resume continues a run from its checkpoint as a child run with the same head', async () => {
    const store = join(dir, '.cvf-resume');
    const args = ['train', join(dir, 'pipeline.yaml'), '--set', `tracking.store=${store}`, '--set', 'train.epochs=4', '--set', 'train.checkpointEveryEpoch=true', '--set', 'registry={register: false}', '--json'];
    const first = lastJsonLine((await runCli(...args)).stdout) as { runId: string; metrics: { test: Record<string, number> } };
    const resumed = await runCli(...args, '--resume', first.runId);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const second = lastJsonLine(resumed.stdout) as { runId: string; metrics: { test: Record<string, number> } };
    // The checkpoint holds the finished head: nothing is left to train, the result is the same.
    expect(second.metrics.test).toEqual(first.metrics.test);
    const run = JSON.parse((await runCli('runs', 'show', second.runId, '--json', '--store', store)).stdout);
    expect(run).toMatchObject({ parentRunId: first.runId, tags: { resumedFrom: first.runId } });
    const firstRun = JSON.parse((await runCli('runs', 'show', first.runId, '--json', '--store', store)).stdout);
    expect(firstRun.artifacts.map((a: { path: string }) => a.path)).toEqual(expect.arrayContaining([1, 2, 3, 4].map((e) => `checkpoints/last.epoch-${e}.ckpt`)));
    expect((await runCli('train', join(dir, 'pipeline.yaml'), '--set', `tracking.store=${store}`, '--resume', 'nope', '--json')).exitCode).toBe(1);
  });

  it('pseudo-labels a folder of unlabelled images over two rounds, tracks what it labelled, and resumes every round', async () => {
    const pool = join(dir, 'unlabelled');
    mkdirSync(pool, { recursive: true });
    const images = fashionImages([0, 1, 8], 50, 'train');
    for (const [i, { pixels }] of images.entries()) {
      writeFileSync(join(pool, `${i}.png`), await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, pixels)));
    }
    const store = join(dir, '.cvf-pseudo');
    const args = ['train', join(dir, 'pipeline.yaml'), '--set', `tracking.store=${store}`, '--set', 'data.unlabelled={kind: images, root: unlabelled}', '--set', 'train.pseudoLabel={threshold: 0.9, rounds: 2}', '--set', 'registry={register: false}', '--json'];
    const trained = await runCli(...args);
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const rounds = trained.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.stage === 'pseudo-label');
    expect(rounds.map((r) => [r.done, r.total])).toEqual([[1, 2], [2, 2]]);
    expect(rounds[0].message).toMatch(/^round 1: \d+ of 150 unlabelled images labelled$/);
    const summary = lastJsonLine(trained.stdout) as { runId: string; metrics: { test: Record<string, number> } };
    expect(summary.metrics.test.accuracy).toBeGreaterThan(0.85);

    const run = JSON.parse((await runCli('runs', 'show', summary.runId, '--json', '--store', store)).stdout);
    const labelled = run.latestMetrics['pseudo.labelled'];
    expect(labelled).toBeGreaterThan(50);
    expect(labelled).toBeLessThanOrEqual(images.length);
    expect(run.latestMetrics['pseudo.labelled.tshirt'] + run.latestMetrics['pseudo.labelled.trouser'] + run.latestMetrics['pseudo.labelled.bag']).toBe(labelled);
    expect(run.artifacts.map((a: { path: string }) => a.path)).toEqual(expect.arrayContaining(['checkpoints/round-0.ckpt', 'checkpoints/round-1.ckpt', 'checkpoints/last.ckpt']));

    // Every round's checkpoint is finished: the resumed run relabels the same pool and ends with the same head.
    const resumed = await runCli(...args, '--resume', summary.runId);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect((lastJsonLine(resumed.stdout) as typeof summary).metrics.test).toEqual(summary.metrics.test);
  });

  it('with an ONNX backbone the bundle also holds the whole forward pass as one graph, which cvf predict runs and which answers as the staged path does', async () => {
    // A frozen "backbone": 28×28 gray → 32 ReLU features, weights from a seed.
    const rng = new Rng(5);
    const g = new OnnxGraphBuilder('tiny-backbone');
    const flat = g.flatten(g.input('pixels', 'float32', ['batch', 1, 28, 28]), 1);
    g.output(g.relu(g.matmul(flat, g.initializer('w', rng.floats(784 * 32, -0.1, 0.1), [784, 32]))), 'embedding', ['batch', 32]);
    writeFileSync(join(dir, 'backbone.onnx'), g.toBytes());
    const store = join(dir, '.cvf-onnx');
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--set', `tracking.store=${store}`, '--set', 'features={kind: onnx, onnx: {model: backbone.onnx}}', '--set', 'registry={register: false}', '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const { bundle } = lastJsonLine(trained.stdout) as { bundle: string };
    const { manifest } = await readBundleFolder(bundle);
    expect(findStage(manifest, 'composed')).toMatchObject({ params: { input: 'image', outputs: ['probabilities', 'features'] }, files: { graph: 'model.onnx' } });

    const files = readFileSyncDir(join(dir, 'png', 'bag')).slice(0, 3).map((f) => join(dir, 'png', 'bag', f));
    const predicted = JSON.parse((await runCli('predict', bundle, ...files, '--json')).stdout) as { probabilities: number[] }[];
    const runtime = await createOrtNodeRuntime();
    const session = await runtime.createSession(new Uint8Array(readFileSync(join(bundle, 'model.onnx'))), { executionProviders: ['cpu'] });
    const images = await Promise.all(files.map(async (f) => sharpImageDecoder.decode(new Uint8Array(readFileSync(f)))));
    const { probabilities } = await session.run({ image: composedGraphInput(images) });
    const composed = probabilities!.data as Float32Array;
    predicted.forEach((p, i) => p.probabilities.forEach((want, c) => expect(composed[i * p.probabilities.length + c]!).toBeCloseTo(want, 4)));
    await session.release();

    // On a CPU Device the Predictor runs the composed graph; the staged kernels and sessions give the same answers.
    const context = { device: new CpuDevice(), onnxRuntime: runtime };
    const opened = await readBundleFolder(bundle);
    const [fast, staged] = await Promise.all([Predictor.load(opened, context), Predictor.load(opened, { ...context, composed: false })]);
    expect([fast.forward, staged.forward]).toEqual(['composed', 'staged']);
    // A larger image among them: the composed graph runs once per size and puts the rows back in order.
    const larger = imageTensor('u8', { height: 40, width: 36, channels: 1 }, Uint8Array.from({ length: 40 * 36 }, (_, i) => (i * 7) % 256));
    const mixed = [images[0]!, larger, ...images.slice(1)];
    const [a, b] = await Promise.all([fast.predict(mixed, { features: true }), staged.predict(mixed, { features: true })]);
    a.forEach((p, i) => {
      p.probabilities.forEach((v, c) => expect(v).toBeCloseTo(b[i]!.probabilities[c]!, 4));
      p.features!.forEach((v, j) => expect(v).toBeCloseTo(b[i]!.features![j]!, 3));
      expect(p.similar.map((s) => s.id)).toEqual(b[i]!.similar.map((s) => s.id));
    });
    await Promise.all([fast.release(), staged.release()]);
  });

  it('tune: a grid search runs each point as a child run, picks the best eligible trial on val and registers only it', async () => {
    const store = join(dir, '.cvf-tune');
    const tuned = await runCli(
      'train', join(dir, 'pipeline.yaml'), '--json',
      '--set', `tracking.store=${store}`,
      '--set', 'train.epochs=4',
      '--set', 'tune={enabled: true, strategy: grid, metric: accuracy, space: {"train.optimizer.lr": [0.0001, 0.01]}, constraints: [{metric: accuracy, min: 0.5}]}',
    );
    expect(tuned.exitCode, tuned.stdout.slice(-1500) + tuned.stderr).toBe(0);
    const summary = lastJsonLine(tuned.stdout) as { runId: string; bestRunId: string; bestParams: Record<string, number>; trials: { runId: string; params: Record<string, number>; validation: Record<string, number> }[]; model: { version: number } };
    expect(summary.trials.map((t) => t.params['train.optimizer.lr'])).toEqual([0.0001, 0.01]);
    const bestAccuracy = Math.max(...summary.trials.map((t) => t.validation.accuracy!));
    expect(summary.trials.find((t) => t.runId === summary.bestRunId)!.validation.accuracy).toBe(bestAccuracy);
    const children = JSON.parse((await runCli('runs', 'list', '--json', '--store', store)).stdout).filter((r: { parentRunId: string }) => r.parentRunId === summary.runId);
    expect(children).toHaveLength(2);
    const models = JSON.parse((await runCli('models', 'list', '--json', '--store', store)).stdout);
    expect(models).toEqual([expect.objectContaining({ version: 1, runId: summary.bestRunId, aliases: ['production'] })]);
  });
});

function readFileSyncDir(path: string): string[] {
  return readdirSync(path).sort();
}
