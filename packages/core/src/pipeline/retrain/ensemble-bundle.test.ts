import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStage, type Bundle } from '../../bundle/bundle.js';
import { STAGE_KINDS } from '../../bundle/stage-table.js';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { parsePipelineConfig } from '../../config/load.js';
import { imageTensor } from '../../image/image-tensor.js';
import { readBundleFolder, writeBundleFolder } from '../../node/bundle-folder.js';
import { createOrtNodeRuntime } from '../../node/ort-node.js';
import { SqliteTrackingStore } from '../../node/tracking/sqlite-store.js';
import { Predictor } from '../predictor.js';
import { runTrainingPipeline } from '../train-pipeline.js';
import type { TrainingEnvironment } from '../training-environment.js';
import type { RetrainDecision } from './retrain-decision.js';
import { runRetraining } from './retrain-pipeline.js';
import { PATTERN_SHAPES, idxBytes, patternPixels } from '../../node/testing/patterns.js';
import { idxTrainingEnvironment } from '../../node/testing/idx-training-environment.js';

// The averaged champion+challenger as one bundle: two real models (pixels and HOG features) trained
// on very noisy 16×16 patterns, composed by runRetraining's ensemble selector, written to a folder,
// read back and served by the Predictor.

const SIZE = 16;
const PER_CLASS = 30;

const pattern = (label: number, rng: Rng) => patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 200 });

let dir: string;
let store: SqliteTrackingStore;
let env: TrainingEnvironment;
const device = new CpuDevice();
const context = async () => ({ device, onnxRuntime: await createOrtNodeRuntime() });

function pipeline(features: string, classes: string, seed: number, extra = '') {
  return parsePipelineConfig(
    `version: 1
name: patterns
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: ${classes}
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 1 }
preprocess: { resize: { height: ${SIZE}, width: ${SIZE} }, color: gray, normalize: { mean: [0.5], std: [0.5] } }
features: ${features}
pca: { enabled: true, components: 8 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 15, batchSize: 16, optimizer: { kind: adam, lr: 0.05 }, seed: ${seed} }
registry: { register: true, alias: production }
tracking: { store: ${join(dir, '.cvf')} }
${extra}`,
    join(dir, 'pipeline.yaml'),
  );
}

async function train(features: string, classes: string, seed: number): Promise<Bundle> {
  const summary = await runTrainingPipeline(pipeline(features, classes, seed), env);
  return readBundleFolder(summary.bundle);
}

const HOG = '{ kind: hog, hog: { cellSize: 4, blockSize: 2, bins: 9 } }';

let pixels: Bundle;
let hog: Bundle;
let ensembleLocation: string;
let decision: RetrainDecision;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-ensemble-'));
  const rng = new Rng(2);
  const count = 3 * PER_CLASS;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  const images = new Uint8Array(count * SIZE * SIZE);
  labels.forEach((label, i) => images.set(pattern(label, rng), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([count, SIZE, SIZE], images));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([count], labels));
  store = SqliteTrackingStore.open(join(dir, '.cvf'));
  env = {
    device,
    onnxRuntime: await createOrtNodeRuntime(),
    ...idxTrainingEnvironment(dir, store),
  };
  // The champion sees raw pixels, the challenger HOG features: on very noisy patterns they err on different images.
  pixels = await train('{ kind: pixels }', '[hbars, vbars, square]', 1);
  const retrain = pipeline(HOG, '[hbars, vbars, square]', 2, 'monitor: { retrain: { selector: { kind: ensemble, metric: log-loss } } }');
  decision = await runRetraining(retrain, { ...env, loadRegisteredBundle: (version) => readBundleFolder(version.bundle) }, { model: 'patterns' });
  hog = await readBundleFolder(decision.challenger.bundle);
  ensembleLocation = decision.ensemble!.bundle;
});
afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ensemble bundle', () => {
  it('cvf retrain with the ensemble selector registers the averaged model as its own version and promotes it when it beats both', async () => {
    expect(decision).toMatchObject({ promoted: true, selected: 'ensemble', champion: { version: 1 }, challenger: { version: 2 }, ensemble: { version: 3, runId: decision.runId } });
    const { champion, challenger, ensemble } = decision.test.evidence as { champion: number; challenger: number; ensemble: number };
    expect(ensemble).toBeLessThan(Math.min(champion, challenger));
    expect(decision.ensemble!.metrics).toEqual(decision.test.ensemble);
    expect((await store.getByAlias('patterns', 'production'))?.version).toBe(3);
    expect((await store.getVersion('patterns', 3)).metrics).toEqual(decision.test.ensemble);
    expect((await store.getRun(decision.runId)).tags).toMatchObject({ decision: 'promoted', selected: 'ensemble', ensemble: 'patterns@3' });
  });

  it("holds the member's whole bundle under member/, checksummed by the outer manifest", async () => {
    const bundle = await readBundleFolder(ensembleLocation);
    const stage = findStage(bundle.manifest, 'ensemble')!;
    expect(stage.params.member).toEqual({ name: 'patterns', version: 1 });
    expect(Object.keys(stage.files).sort()).toEqual(['manifest.json', ...pixels.files.keys()].sort());
    for (const [role, path] of Object.entries(stage.files)) expect(path).toBe(`member/${role}`);
    // The primary's stages are kept as they were; metrics are the held-out figures given.
    expect(bundle.manifest.stages.slice(0, -1)).toEqual(hog.manifest.stages);
    expect(bundle.manifest.metrics).toEqual({ test: decision.test.ensemble });
  });

  it("serves the average of both members' probabilities, with the primary's similar cases and features", async () => {
    const rng = new Rng(77);
    const images = Array.from({ length: 9 }, (_, i) => imageTensor('u8', { height: SIZE, width: SIZE, channels: 1 }, pattern(i % 3, rng)));
    const [ensemble, first, second] = await Promise.all([readBundleFolder(ensembleLocation), pixels, hog].map(async (b) => Predictor.load(await b, await context())));
    const [averaged, a, b] = await Promise.all([ensemble!, first!, second!].map((p) => p.predict(images, { features: true })));
    averaged!.forEach((prediction, row) => {
      const expected = a![row]!.probabilities.map((p, c) => (p + b![row]!.probabilities[c]!) / 2);
      prediction.probabilities.forEach((p, c) => expect(p).toBeCloseTo(expected[c]!, 6));
      expect(prediction.classIndex).toBe(expected.indexOf(Math.max(...expected)));
      expect(prediction.similar).toEqual(b![row]!.similar);
      expect(prediction.features).toEqual(b![row]!.features);
    });
    await Promise.all([ensemble!, first!, second!].map((p) => p.release()));
  });

  it("refuses a member file changed behind the outer manifest's checksum, naming it", async () => {
    const copy = join(dir, 'tampered');
    const { manifest: { files: _sealed, ...unsealed }, files } = await readBundleFolder(ensembleLocation);
    await writeBundleFolder(copy, unsealed, files);
    const head = join(copy, 'member', 'head.onnx');
    writeFileSync(head, Buffer.concat([readFileSync(head), Buffer.from([0])]));
    await expect(readBundleFolder(copy)).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('member/head.onnx') });
  });

  it('refuses a member whose classes differ in order from the bundle', async () => {
    const reordered = await train('{ kind: pixels }', '[vbars, hbars, square]', 3);
    expect(() => STAGE_KINDS.ensemble.save(reordered, hog.manifest.classes, { name: 'patterns', version: 3 })).toThrow(expect.objectContaining({ code: 'BUNDLE_INVALID', message: expect.stringContaining('same order') }));
  });
});
