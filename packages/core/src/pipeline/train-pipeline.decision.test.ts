import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { idxBytes, patternPixels } from '../node/testing/patterns.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// The decision stage end to end: a training run chooses operating points on its val split and
// stores them with the referral policy; the Predictor turns each prediction into a decision.
// Images: noisy 16×16 horizontal bands ("normal") and centred squares ("lesion"), noisy enough
// that the two overlap on val.

const SIZE = 16;
const classes = ['normal', 'lesion'];

// Class 0 ("normal") is a horizontal band, class 1 ("lesion") a centred square.
const pattern = (label: number, rng: Rng, noise: number) => patternPixels(label === 0 ? 'horizontal band' : 'square', rng, { size: SIZE, noise });

const image = (pixels: Uint8Array) => imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pixels);

let dir: string;
const stores: SqliteTrackingStore[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-decision-'));
  const rng = new Rng(4);
  const count = 120;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
  const images = new Uint8Array(count * SIZE * SIZE);
  labels.forEach((label, i) => images.set(pattern(label, rng, 200), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([count, SIZE, SIZE], images));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([count], labels));
});
afterAll(() => {
  stores.forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

async function train(decision: string): Promise<Bundle> {
  const yaml = `version: 1
name: lesions
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [${classes.join(', ')}]
  splits: { train: 0.5, val: 0.3, test: 0.2, seed: 2 }
preprocess:
  resize: { height: ${SIZE}, width: ${SIZE} }
  color: gray
  normalize: { mean: [0.5], std: [0.5] }
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 5 }
model: { head: softmax }
train: { epochs: 5, batchSize: 32, optimizer: { kind: adam, lr: 0.01 }, earlyStopping: { enabled: false }, seed: 3 }
${decision}
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`;
  const config = parsePipelineConfig(yaml, join(dir, 'pipeline.yaml'));
  const store = SqliteTrackingStore.open(config.tracking.store);
  stores.push(store);
  const summary = await runTrainingPipeline(config, {
    device: new CpuDevice(),
    ...idxTrainingEnvironment(dir, store),
  });
  return readBundleFolder(summary.bundle);
}

async function predictorOf(bundle: Bundle): Promise<Predictor> {
  return Predictor.load(bundle, { device: new CpuDevice(), onnxRuntime: await createOrtNodeRuntime() });
}

describe('the decision stage of a training run', () => {
  let bundle: Bundle;
  beforeAll(async () => {
    bundle = await train('evaluate: { positiveClass: lesion }\ndecision: { operatingPoint: { target: sensitivity, value: 0.95 } }');
  });

  it('stores operating points that reach 95% sensitivity on val, with the val counts they reached', () => {
    const { params } = requireStage(bundle.manifest, 'decision');
    expect(params.positiveClass).toBe('lesion');
    expect(params.valSamples).toBe(36);
    expect(params.operatingPoints.map((p) => p.label)).toEqual(classes);
    for (const point of params.operatingPoints) {
      const { truePositives, falseNegatives, trueNegatives, falsePositives } = point.counts;
      expect(truePositives + falseNegatives + trueNegatives + falsePositives).toBe(36);
      expect(point.sensitivity).toBe(truePositives / (truePositives + falseNegatives));
      expect(point.specificity).toBe(trueNegatives / (trueNegatives + falsePositives));
      expect(point.sensitivity).toBeGreaterThanOrEqual(0.95);
    }
    // The images overlap: reaching 95% sensitivity costs specificity, so the threshold is not argmax's 0.5.
    expect(params.operatingPoints[1]!.specificity).toBeLessThan(1);
    expect(params.referral).toEqual({ minProbability: 0.5, maxEntropy: 0.8, knnDisagreement: true, knnK: 5, noOperatingPoint: true });
  });

  it('decides positive or negative at the lesion operating point, with the evidence and the model', async () => {
    const predictor = await predictorOf(bundle);
    const rng = new Rng(11);
    const predictions = await predictor.predict(Array.from({ length: 12 }, (_, i) => image(pattern(i % 2, rng, 20))));
    const point = requireStage(bundle.manifest, 'decision').params.operatingPoints[1]!;
    for (const p of predictions) {
      const { decision } = p;
      const reached = p.probabilities[1]! >= point.threshold;
      expect(decision.reasons[0]).toEqual({ code: 'operating-point', label: 'lesion', probability: p.probabilities[1], threshold: point.threshold, reached, target: 'sensitivity', value: 0.95 });
      if (decision.outcome !== 'refer') expect(decision.outcome).toBe(reached ? 'positive' : 'negative');
      expect(decision.label).toBe(reached ? 'lesion' : 'normal');
      expect(decision.model).toEqual({ name: 'lesions', version: null, configHash: bundle.manifest.configHash });
      expect(decision.evidence).toEqual(p.similar);
      expect(decision.thresholds).toEqual(requireStage(bundle.manifest, 'decision').params.operatingPoints);
    }
    // Clean images of each class are decided, not referred.
    expect(predictions.filter((p) => p.decision.outcome === 'positive')).toHaveLength(6);
    expect(predictions.filter((p) => p.decision.outcome === 'negative')).toHaveLength(6);
    await predictor.release();
  });

  it('refers an uncertain input: a blend of both patterns is above an entropy limit the clean images are below', async () => {
    const rng = new Rng(12);
    const clean = Array.from({ length: 6 }, (_, i) => image(pattern(i % 2, rng, 20)));
    const [band, square] = [pattern(0, new Rng(13), 0), pattern(1, new Rng(13), 0)];
    const blend = image(Uint8Array.from(band, (b, i) => Math.round((b + square[i]!) / 2)));
    const plain = await predictorOf(bundle);
    const entropies = (await plain.predict([...clean, blend])).map((p) => p.decision.uncertainty.entropy);
    await plain.release();
    const cleanMost = Math.max(...entropies.slice(0, 6));
    expect(entropies[6]!).toBeGreaterThan(cleanMost);
    const limit = (cleanMost + entropies[6]!) / 2;
    const decision = requireStage(bundle.manifest, 'decision');
    const strict = { ...decision, params: { ...decision.params, referral: { ...decision.params.referral, maxEntropy: limit, minProbability: null, knnDisagreement: false } } };
    const predictor = await predictorOf({ ...bundle, manifest: { ...bundle.manifest, stages: bundle.manifest.stages.map((s) => (s === decision ? strict : s)) } });
    const decided = (await predictor.predict([...clean, blend])).map((p) => p.decision);
    expect(decided.slice(0, 6).map((d) => d.outcome)).not.toContain('refer');
    expect(decided[6]!.outcome).toBe('refer');
    expect(decided[6]!.reasons.slice(1)).toEqual([{ code: 'high-entropy', entropy: entropies[6], limit }]);
    expect(decided[6]!.summary).toBe(`Refer — uncertain (entropy ${entropies[6]!.toFixed(2)})`);
    await predictor.release();
  });

  it('refers when the similar cases vote against the head (the case labels swapped)', async () => {
    const index = requireStage(bundle.manifest, 'index');
    const cases = JSON.parse(new TextDecoder().decode(bundle.files.get(index.files.cases)!)) as { ids: string[]; labels: string[] };
    const swapped = { ids: cases.ids, labels: cases.labels.map((l) => (l === 'lesion' ? 'normal' : 'lesion')) };
    const files = new Map(bundle.files).set(index.files.cases, new TextEncoder().encode(JSON.stringify(swapped)));
    const predictor = await predictorOf({ ...bundle, files });
    const rng = new Rng(14);
    const predictions = await predictor.predict([image(pattern(1, rng, 10)), image(pattern(0, rng, 10))]);
    for (const { decision } of predictions) {
      expect(decision.outcome).toBe('refer');
      const knnLabel = decision.label === 'lesion' ? 'normal' : 'lesion';
      expect(decision.reasons).toContainEqual({ code: 'knn-disagreement', decidedLabel: decision.label, knnLabel, knnAgreement: decision.uncertainty.knnAgreement });
      expect(decision.uncertainty.knnLabel).toBe(knnLabel);
      expect(decision.summary).toContain(`similar cases disagree (they vote ${knnLabel}, the model ${decision.label})`);
    }
    await predictor.release();
  });

  it('a bundle written before the decision stage still loads: argmax, never referred', async () => {
    const predictor = await predictorOf({ ...bundle, manifest: { ...bundle.manifest, stages: bundle.manifest.stages.filter((s) => s.kind !== 'decision') } });
    const [p] = await predictor.predict([image(pattern(1, new Rng(15), 10))]);
    expect(p!.decision).toMatchObject({ outcome: 'class', label: p!.label, thresholds: [], positiveClass: null, reasons: [{ code: 'argmax', label: p!.label }] });
    expect(p!.decision.evidence).toHaveLength(5);
    await predictor.release();
  });
});

describe('operating points of a class named on its own', () => {
  it('chooses only that class a threshold, for its target specificity', async () => {
    const bundle = await train('decision:\n  classes: { lesion: { target: specificity, value: 0.9 } }\n  referral: { minProbability: false, maxEntropy: false }');
    const { params } = requireStage(bundle.manifest, 'decision');
    expect(params.positiveClass).toBeNull();
    expect(params.operatingPoints).toHaveLength(1);
    expect(params.operatingPoints[0]).toMatchObject({ label: 'lesion', target: 'specificity', value: 0.9 });
    expect(params.operatingPoints[0]!.specificity).toBeGreaterThanOrEqual(0.9);
    expect(findStage(bundle.manifest, 'thresholds')).toBeUndefined();
  });
});
