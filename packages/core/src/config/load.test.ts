import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parsePipelineConfig } from './load.js';
import { CONFIG_FILE as FILE, issue, issuesOf } from './testing/config-issues.js';

const MINIMAL = `version: 1
name: minimal
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
`;

describe('parsePipelineConfig', () => {
  it('fills every default around the three required keys', () => {
    const config = parsePipelineConfig(MINIMAL, FILE);
    expect(config.data).toEqual({
      source: { kind: 'idx', images: 'images.gz', labels: 'labels.gz' },
      splits: { train: 0.8, val: 0.1, test: 0.1, seed: 42 },
    });
    expect(config.preprocess).toEqual({
      resize: { height: 224, width: 224, mode: 'bilinear', coordinateTransform: 'half_pixel' },
      color: 'gray',
      window: { function: 'LINEAR', fromFile: true },
      normalize: { scale: 1 / 255, mean: [0], std: [1] },
    });
    expect(config.augment.flip).toEqual({ horizontal: 0, vertical: 0 });
    expect(config.augment.mixup).toEqual({ alpha: 0.2, probability: 0 });
    expect(config.features).toEqual({ kind: 'pixels' });
    expect(config.pca).toEqual({ enabled: false, components: 64, whiten: false, method: 'auto' });
    expect(config.index).toEqual({ kind: 'flat', metric: 'cosine', k: 10 });
    expect(config.model).toEqual({ head: 'softmax' });
    expect(config.train).toEqual({
      epochs: 20,
      batchSize: 64,
      optimizer: { kind: 'adamw', lr: 1e-3, momentum: 0.9, weightDecay: 1e-4, betas: [0.9, 0.999] },
      schedule: { kind: 'cosine', warmupEpochs: 0, stepSize: 10, gamma: 0.1 },
      labelSmoothing: 0,
      classWeights: 'none',
      gradientClip: 0,
      earlyStopping: { enabled: true, metric: 'loss', mode: 'min', patience: 5, minDelta: 0 },
      seed: 42,
      checkpointEveryEpoch: false,
      pseudoLabel: { threshold: 0.95, rounds: 1 },
    });
    expect(config.tune).toEqual({ enabled: false, strategy: 'random', trials: 20, halving: { minEpochs: 1, eta: 3 }, metric: 'loss', mode: 'min', space: {}, constraints: [] });
    expect(config.evaluate).toEqual({
      metrics: ['accuracy', 'balanced-accuracy', 'f1', 'auroc', 'ece', 'confusion-matrix'],
      thresholds: { strategy: 'none', targetSensitivity: 0.95 },
      calibrationBins: 15,
      bootstrap: 0,
    });
    expect(config.postprocess).toEqual({ topK: 3 });
    expect(config.postprocess.temperature).toBeUndefined();
    expect(config.registry).toEqual({ register: false });
    expect(config.monitor).toEqual({
      window: 500,
      drift: { enabled: false, method: 'auto', alpha: 0.05, permutations: 1000, aucThreshold: 0.55, psiThreshold: 0.2, ksShare: 0.2 },
      performance: { enabled: false, metric: 'accuracy', threshold: 0.8, minLabels: 30, window: 500 },
      schedule: [],
      retrain: { enabled: false, onDrift: true, onPerformance: true, selector: { kind: 'metric', metric: 'accuracy', margin: 0.01, alpha: 0.05 } },
    });
    expect(config.compute).toEqual({ device: 'auto', threads: 0 });
    expect(config.tracking).toEqual({ store: '.cvf', tags: {} });
  });

  it('fills the defaults of the chosen variant only', () => {
    const config = parsePipelineConfig(
      `${MINIMAL}features: { kind: hog }
index: { kind: hnsw }
model: { head: mlp }
`,
      FILE,
    );
    expect(config.features).toEqual({ kind: 'hog', hog: { cellSize: 8, blockSize: 2, bins: 9 } });
    expect(config.index).toEqual({ kind: 'hnsw', metric: 'cosine', k: 10, hnsw: { m: 16, efConstruction: 200, efSearch: 64 } });
    expect(config.model).toEqual({ head: 'mlp', hidden: [256], activation: 'relu', dropout: 0.1 });
  });

  it('takes index.threads on the flat kinds only, as a count ≥ 0', () => {
    expect(parsePipelineConfig(`${MINIMAL}index: { kind: flat-f16, threads: 4 }\n`, FILE).index).toMatchObject({ kind: 'flat-f16', threads: 4 });
    expect(parsePipelineConfig(MINIMAL, FILE).index).not.toHaveProperty('threads');
    expect(issuesOf(`${MINIMAL}index: { kind: flat, threads: -1 }\n`).map((i) => i.path)).toEqual(['index.threads']);
    expect(issuesOf(`${MINIMAL}index: { kind: hnsw, threads: 2 }\n`).map((i) => i.path)).toEqual(['index.threads']); // hnsw searches on one thread
  });

  it('takes the metric direction as the default mode, and keeps an explicit one', () => {
    const config = parsePipelineConfig(
      `${MINIMAL}train:
  earlyStopping: { metric: auroc }
tune:
  metric: ece
  mode: max
`,
      FILE,
    );
    expect(config.train.earlyStopping.mode).toBe('max');
    expect(config.tune.mode).toBe('max');
  });

  it('reports every schema error with its line, column and path', () => {
    const text = `version: 1
name: broken
data:
  source:
    kind: idx
    images: train-images.gz
  splits:
    train: 0.8
    val: 0.3
train:
  epocs: 10
  batchSize: -32
  optimizer:
    kind: adma
    lr: 0.01
model:
  head: mlp
  hidden: [128, 0]
`;
    expect(issuesOf(text)).toEqual([
      issue(5, 5, 'data.source.labels', 'missing required key "labels"'),
      issue(8, 5, 'data.splits', 'train + val + test must sum to 1, got 0.8 + 0.3 + 0.1 = 1.2'),
      issue(
        11,
        3,
        'train.epocs',
        'unknown key "epocs" (did you mean "epochs"?); valid keys here: epochs, batchSize, optimizer, schedule, labelSmoothing, classWeights, gradientClip, earlyStopping, seed, checkpointEveryEpoch, pseudoLabel, pretrain, fixmatch',
      ),
      issue(12, 14, 'train.batchSize', 'expected a number > 0, got -32'),
      issue(14, 11, 'train.optimizer.kind', 'expected one of sgd|adam|adamw, got "adma" (did you mean "adam"?)'),
      issue(18, 17, 'model.hidden[1]', 'expected a number > 0, got 0'),
    ]);
  });

  it('throws one ConfigError whose message lists every issue as file:line:col: path: message', () => {
    const text = `version: 1
name: two-errors
data:
  source: { kind: dicom, root: scans }
compute: { device: gpu }
`;
    let thrown: unknown;
    try {
      parsePipelineConfig(text, FILE);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('CONFIG_INVALID');
    expect((thrown as ConfigError).message).toBe(
      [
        'pipeline.yaml:4:19: data.source.kind: expected one of idx|folder|csv|jsonl|dicom-folder|dicomweb, got "dicom"',
        'pipeline.yaml:5:20: compute.device: expected one of auto|webgpu|cpu, got "gpu" (did you mean "cpu"?)',
      ].join('\n'),
    );
  });

  it('reports a YAML indentation error with its position and the path around it', () => {
    const text = `version: 1
name: bad-indent
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
train:
  epochs: 10
   batchSize: 32
`;
    expect(issuesOf(text)).toEqual([issue(6, 11, 'train.epochs', 'Nested mappings are not allowed in compact mappings')]);
  });

  it('reports duplicate keys and an empty document', () => {
    expect(issuesOf(`${MINIMAL}name: again\n`)).toEqual([issue(5, 1, '', 'Map keys must be unique')]);
    expect(issuesOf('')).toEqual([issue(1, 1, '', 'expected a mapping, got an empty value')]);
  });

  it('points at the parent mapping for a missing key and at the key for an unknown one', () => {
    const text = `version: 1
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
features:
  kind: hog
  onnx: { model: m.onnx }
`;
    expect(issuesOf(text)).toEqual([
      issue(1, 1, 'name', 'missing required key "name"'),
      issue(6, 3, 'features.onnx', 'unknown key "onnx"; valid keys here: kind, hog'),
    ]);
  });

  it('explains a failed alternative and the inside of a matched one', () => {
    const text = `${MINIMAL}train:
  classWeights: balnced
tune:
  space:
    train.optimizer.lr: { min: 0, max: 0.1, log: true }
    model.dropout: [0.1, { a: 1 }]
`;
    expect(issuesOf(text)).toEqual([
      issue(6, 17, 'train.classWeights', 'expected one of none|balanced or a list, got "balnced" (did you mean "balanced"?)'),
      issue(9, 32, 'tune.space["train.optimizer.lr"].min', 'a log range needs min > 0, got 0'),
      issue(10, 26, 'tune.space["model.dropout"][1]', 'expected a number, a string, true/false or a list, got a mapping'),
    ]);
  });

  it('checks the rules that span sections once each section is valid', () => {
    const text = `${MINIMAL}  classes: [normal, nodule]
  splits: { train: 0.9, val: 0, test: 0.1 }
train:
  classWeights: [1, 5, 2]
evaluate:
  positiveClass: tumour
tune:
  space:
    train.optimizer.rate: [0.1, 0.01]
postprocess:
  temperature: fit
`;
    expect(issuesOf(text)).toEqual([
      issue(8, 3, 'train.earlyStopping.enabled', 'early stopping needs a validation set, but data.splits.val is 0'),
      issue(8, 17, 'train.classWeights', 'expected one weight per class (2), got 3'),
      issue(10, 18, 'evaluate.positiveClass', 'expected one of normal|nodule, got "tumour"'),
      issue(
        13,
        27,
        'tune.space["train.optimizer.rate"]',
        '"train.optimizer.rate" is not a setting of this pipeline (write a dotted path such as train.optimizer.lr)',
      ),
      issue(15, 16, 'postprocess.temperature', 'fitting the temperature needs a validation set, but data.splits.val is 0 (give a number instead)'),
    ]);
  });

  it('refuses mixup and cutmix probabilities that cannot both hold', () => {
    const text = `${MINIMAL}augment:
  mixup: { probability: 0.7 }
  cutmix: { probability: 0.5 }
`;
    expect(issuesOf(text)).toEqual([issue(7, 26, 'augment.cutmix.probability', 'mixup + cutmix probabilities must be at most 1 (an image gets one mix at most), got 0.7 + 0.5')]);
    expect(() => parsePipelineConfig(`${MINIMAL}augment:\n  mixup: { probability: 0.6 }\n  cutmix: { probability: 0.4 }\n`, FILE)).not.toThrow();
  });
});
