import { Tensor } from '../compute/tensor.js';
import type { PipelineConfig } from '../config/schema.js';
import { openDataset } from '../data/open-dataset.js';
import { openUnlabelled } from '../data/open-unlabelled.js';
import { PipelineError, TrackingError, type CvfError } from '../errors.js';
import { evaluateClassifier, scalarMetrics, type ClassifierEvaluation } from '../eval/evaluate-classifier.js';
import { oneVsRest } from '../eval/ranking.js';
import { applyTemperature, fitTemperature } from '../eval/temperature.js';
import { selectThreshold } from '../eval/thresholds.js';
import { Pca } from '../features/pca/pca.js';
import { createIndex } from '../index/create-index.js';
import { serializeIndex } from '../index/persist/index-persistence.js';
import { knnVoteOfHits } from '../train/knn.js';
import { saveHead } from '../train/head-file.js';
import type { Head } from '../train/head.js';
import { exportHeadToOnnx } from '../train/onnx-export.js';
import { predictProbabilities } from '../train/predict.js';
import { headProducts } from '../train/products.js';
import { augmentationEnabled } from './augment-batch.js';
import { BUNDLE_SCHEMA_VERSION, type BundleManifest } from './bundle-manifest.js';
import { buildExtractor } from './build-extractor.js';
import { composeBundleGraph, COMPOSED_GRAPH_INPUT } from './composed-graph.js';
import { configHash, flattenParams } from './config-hash.js';
import { featureMatrix, type FeatureMatrix } from './feature-matrix.js';
import { prefixed, trainHeadRound } from './head-training.js';
import { selfTrain } from './self-training.js';
import { encodeThumbnails } from './thumbnails.js';
import type { TrainingEnvironment } from './training-environment.js';

/** What `cvf train` prints last, and what the studio shows when a run ends. */
export interface TrainSummary {
  readonly runId: string;
  readonly metrics: { readonly val: Record<string, number>; readonly test: Record<string, number> };
  readonly bundle: string;
  readonly model: { readonly name: string; readonly version: number } | null;
  /** Every scalar metric of the validation split (`loss` is its log-loss): what tuning selects on. */
  readonly validation: Record<string, number>;
  readonly seconds: number;
}

export interface TrainPipelineOptions {
  /** Continue the head training of an earlier run from its last checkpoint (a new run, child of that one). */
  readonly resumeRunId?: string;
  /** The run this one belongs to (a tuning search); default: the resumed run, or none. */
  readonly parentRunId?: string;
}

export const CHECKPOINT_ARTIFACT = 'checkpoints/last.ckpt';

/**
 * One training run of a pipeline config: data → preprocessing → augmentation (train only) →
 * features → PCA → index → head → evaluation → bundle → registry, tracked from start to end.
 * Stateful components are fitted on the train split only and saved into the bundle, so serving
 * computes exactly what was evaluated. A failure ends the run as failed, with the reason.
 */
export async function runTrainingPipeline(config: PipelineConfig, env: TrainingEnvironment, options: TrainPipelineOptions = {}): Promise<TrainSummary> {
  const started = Date.now();
  const hash = await configHash(config);
  const resumeFrom = options.resumeRunId ? await readCheckpoints(env, options.resumeRunId, pseudoLabelRounds(config)) : undefined;
  const run = await env.tracker.startRun({
    experiment: config.tracking.experiment ?? config.name,
    name: config.name,
    configHash: hash,
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
    ...(options.parentRunId || options.resumeRunId ? { parentRunId: options.parentRunId ?? options.resumeRunId } : {}),
  });
  try {
    await env.tracker.logParams(run.id, flattenParams(config));
    await env.tracker.setTags(run.id, { ...config.tracking.tags, device: env.device.backend, ...(options.resumeRunId ? { resumedFrom: options.resumeRunId } : {}) });
    const summary = await train(config, env, run.id, hash, resumeFrom);
    await env.tracker.endRun(run.id, 'finished');
    return { ...summary, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    const aborted = env.signal?.aborted === true;
    await env.tracker.endRun(run.id, aborted ? 'killed' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}

async function train(config: PipelineConfig, env: TrainingEnvironment, runId: string, hash: string, resumeFrom: readonly (Uint8Array | undefined)[] | undefined): Promise<Omit<TrainSummary, 'seconds'>> {
  const { device } = env;
  const progress = env.onProgress ?? (() => {});

  progress({ stage: 'data', done: 0, total: 1, message: 'opening the dataset' });
  const data = await openDataset(config.data, env.dataset);
  const classes = [...data.classes];
  progress({ stage: 'data', done: 1, total: 1, message: `${data.train.length} train, ${data.val.length} val, ${data.test.length} test in ${classes.length} classes` });
  if (data.train.length === 0 || data.test.length === 0) throw new PipelineError('PIPELINE_FAILED', `the data section gives ${data.train.length} train and ${data.test.length} test samples; both must be non-empty`);

  // Features, split by split. Only the training split is augmented.
  const extractor = await buildExtractor(config.features, { device, files: env.dataset.files, baseDir: env.dataset.baseDir, ...(env.onnxRuntime ? { onnxRuntime: env.onnxRuntime } : {}) });
  let total = data.train.length + data.val.length + data.test.length;
  let done = 0;
  const featurize = (samples: typeof data.train, augment: boolean) =>
    featureMatrix(samples, {
      device,
      preprocess: config.preprocess,
      extractor,
      ...(augment && augmentationEnabled(config.augment) ? { augment: { config: config.augment, seed: config.train.seed } } : {}),
      onChunk: (chunkDone) => progress({ stage: 'features', done: done + chunkDone, total }),
      ...(env.signal ? { signal: env.signal } : {}),
    }).then((matrix) => ((done += samples.length), matrix));
  const unlabelledSamples = config.data.unlabelled
    ? await openUnlabelled(config.data.unlabelled, { files: env.dataset.files, decoder: env.dataset.decoder, baseDir: env.dataset.baseDir, ...(env.dataset.unlabelledOpeners ? { openers: env.dataset.unlabelledOpeners } : {}), seed: config.data.splits.seed })
    : [];
  total += unlabelledSamples.length;
  let train = await featurize(data.train, true);
  let val = await featurize(data.val, false);
  let test = await featurize(data.test, false);
  let unlabelled = unlabelledSamples.length > 0 ? await featurize(unlabelledSamples, false) : null;

  let pca: Pca | null = null;
  if (config.pca.enabled) {
    progress({ stage: 'pca', done: 0, total: 1 });
    pca = new Pca({ components: config.pca.components, whiten: config.pca.whiten, strategy: config.pca.method, seed: config.train.seed }, { device, ...(env.fastMatmul ? { fastMatmul: env.fastMatmul } : {}) });
    await pca.fit(Tensor.cpu('f32', [train.rows, train.dim], train.features));
    train = await project(pca, train, device);
    val = await project(pca, val, device);
    test = await project(pca, test, device);
    if (unlabelled) unlabelled = await project(pca, unlabelled, device);
    progress({ stage: 'pca', done: 1, total: 1, metrics: { explainedVariance: sum(pca.state.explainedVarianceRatio) } });
  }

  // The case index holds the original training samples (not their augmented copies).
  progress({ stage: 'index', done: 0, total: 1 });
  const index = await createIndex({
    kind: config.index.kind,
    dim: train.dim,
    metric: config.index.metric,
    ...(config.index.kind === 'hnsw' ? { M: config.index.hnsw.m, efConstruction: config.index.hnsw.efConstruction, efSearch: config.index.hnsw.efSearch } : {}),
  });
  const originals = originalRows(train);
  index.addBatch(
    Int32Array.from(originals, (row) => train.sampleIndex[row]!),
    gatherRows(train, originals),
    originals.map((row) => ({ label: classes[train.labels[row]!]! })),
  );
  progress({ stage: 'index', done: 1, total: 1 });

  // The head, or the kNN vote over the index.
  let head: Head | null = null;
  let predict: (m: FeatureMatrix) => Promise<Float32Array>;
  if (config.model.head === 'knn') {
    const { k, weighting } = config.model.knn;
    const trainLabels = new Map(originals.map((row) => [train.sampleIndex[row]!, train.labels[row]!]));
    predict = async (m) => knnVoteOfHits(index.searchBatch(m.features, { k }), (id) => trainLabels.get(id) ?? -1, classes.length, { k, weighting, metric: config.index.metric });
  } else {
    // The head; with data.unlabelled, retrained over rounds of pseudo-labels (self-training).
    const products = headProducts(device, env.fastMatmul);
    const probabilities = (h: Head, m: FeatureMatrix) => predictProbabilities(device, h, m.features, { products });
    const rounds = pseudoLabelRounds(config);
    let epochs = 0;
    const trained = await selfTrain(train, unlabelled, classes.length, { ...config.train.pseudoLabel, rounds }, {
      trainRound: async (rows, round) => {
        const result = await trainHeadRound(config, env, {
          runId,
          train: rows,
          val,
          classes,
          checkpointArtifact: checkpointArtifact(round, rounds),
          ...(resumeFrom?.[round] ? { resumeFrom: resumeFrom[round] } : {}),
          stepOffset: epochs,
        });
        epochs += result.epochs;
        return result.head;
      },
      probabilities,
      onRound: async ({ round, labelled, perClass }) => {
        await env.tracker.logMetrics(runId, { 'pseudo.labelled': labelled, ...Object.fromEntries(perClass.map((n, c) => [`pseudo.labelled.${classes[c]}`, n])) }, round);
        progress({ stage: 'pseudo-label', done: round, total: rounds, message: `round ${round}: ${labelled} of ${unlabelled!.rows} unlabelled images labelled` });
      },
    });
    head = trained.head;
    predict = (m) => probabilities(trained.head, m);
  }

  // Evaluation: the threshold (binary tasks) is chosen on val and applied to test.
  progress({ stage: 'evaluate', done: 0, total: 2 });
  const positiveIndex = config.evaluate.positiveClass === undefined ? -1 : classes.indexOf(config.evaluate.positiveClass);
  if (config.evaluate.positiveClass !== undefined && positiveIndex < 0) {
    throw new PipelineError('PIPELINE_FAILED', `evaluate.positiveClass "${config.evaluate.positiveClass}" is not one of the classes: ${classes.join(', ')}`);
  }
  // Temperature scaling: fitted on val (or given), then applied to every probability the model reports.
  const rawVal = val.rows > 0 ? await predict(val) : null;
  const temperature = config.postprocess.temperature === 'fit' ? fitTemperature(rawVal!, val.labels, classes.length) : config.postprocess.temperature;
  const calibrated = (probabilities: Float32Array) => (temperature === 1 ? probabilities : applyTemperature(probabilities, classes.length, temperature));
  const valProbabilities = rawVal ? calibrated(rawVal) : null;
  let threshold: number | undefined;
  if (positiveIndex >= 0 && valProbabilities) {
    const { targets, scores } = oneVsRest(val.labels, valProbabilities, classes.length, positiveIndex);
    threshold = selectThreshold(targets, scores, config.evaluate.thresholds)?.threshold;
  }
  const evaluateOptions = { calibrationBins: config.evaluate.calibrationBins, ...(config.evaluate.positiveClass !== undefined ? { positiveClass: config.evaluate.positiveClass } : {}), ...(threshold !== undefined ? { threshold } : {}) };
  const valEvaluation = valProbabilities ? evaluateClassifier(val.labels, valProbabilities, classes, evaluateOptions) : null;
  progress({ stage: 'evaluate', done: 1, total: 2 });
  const testEvaluation = evaluateClassifier(test.labels, calibrated(await predict(test)), classes, evaluateOptions);
  const metrics = {
    val: valEvaluation ? scalarMetrics(valEvaluation, config.evaluate.metrics) : {},
    test: scalarMetrics(testEvaluation, config.evaluate.metrics),
  };
  const validation = valEvaluation ? scalarMetrics(valEvaluation) : {};
  if (validation['log-loss'] !== undefined) validation.loss = validation['log-loss'];
  await env.tracker.logMetrics(runId, { ...prefixed('val', metrics.val), ...prefixed('test', metrics.test), 'postprocess.temperature': temperature }, 0);
  await env.tracker.logArtifact(runId, 'evaluation.json', json({ val: valEvaluation, test: testEvaluation }));
  progress({ stage: 'evaluate', done: 2, total: 2, metrics: prefixed('test', metrics.test) });

  // The bundle: every stage's saved state, the head as ONNX, the case index with its labels.
  progress({ stage: 'bundle', done: 0, total: 1 });
  const files = new Map<string, Uint8Array>([
    ['extractor.bin', extractor.save()],
    ['index.bin', serializeIndex(index)],
    ['cases.json', json({ ids: data.train.map((s) => s.id), labels: data.train.map((s) => s.label) })],
    ['thumbnails.bin', await encodeThumbnails(data.train)],
    ['evaluation.json', json({ test: summarizeEvaluation(testEvaluation) })],
  ]);
  if (pca) files.set('pca.bin', pca.save());
  if (head) {
    files.set('head.onnx', exportHeadToOnnx(head, { inputName: 'features', outputName: 'probabilities', temperature }));
    files.set('head.bin', saveHead(head));
  }
  // With an ONNX backbone the whole forward pass is also one graph, for runtimes that have only ONNX Runtime.
  const composed = extractor.kind === 'onnx';
  if (composed) files.set('model.onnx', composeBundleGraph({ preprocess: config.preprocess, extractor, pca: pca?.state ?? null, head, temperature }));
  const manifest: Omit<BundleManifest, 'files'> = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    name: config.registry.modelName ?? config.name,
    version: null,
    createdAt: new Date().toISOString(),
    coreVersion: env.coreVersion,
    configHash: hash,
    classes,
    input: {
      height: config.preprocess.resize.height,
      width: config.preprocess.resize.width,
      channels: config.preprocess.color === 'rgb' ? 3 : 1,
      formats: ['png', 'jpeg', 'webp', 'dicom'],
      photometricInterpretations: config.preprocess.color === 'rgb' ? ['RGB', 'YBR_FULL', 'YBR_FULL_422', 'PALETTE COLOR', 'MONOCHROME1', 'MONOCHROME2'] : ['MONOCHROME1', 'MONOCHROME2', 'RGB'],
      modalities: 'modality' in config.data.source ? [...(config.data.source.modality ?? [])] : [],
    },
    preprocess: { ...config.preprocess },
    stages: [
      { name: 'extractor', kind: config.features.kind, params: { ...config.features }, files: ['extractor.bin'] },
      ...(pca ? [{ name: 'pca', kind: 'pca', params: { components: config.pca.components, whiten: config.pca.whiten }, files: ['pca.bin'] }] : []),
      { name: 'index', kind: config.index.kind, params: { metric: config.index.metric, k: config.index.k }, files: ['index.bin', 'cases.json', 'thumbnails.bin'] },
      head
        ? { name: 'head', kind: config.model.head, params: { inputName: 'features', outputName: 'probabilities' }, files: ['head.onnx', 'head.bin'] }
        : { name: 'head', kind: 'knn', params: { ...config.model }, files: [] },
      ...(composed ? [{ name: 'composed', kind: 'onnx', params: { input: COMPOSED_GRAPH_INPUT, outputs: head ? ['probabilities', 'features'] : ['features'] }, files: ['model.onnx'] }] : []),
    ],
    thresholds: threshold === undefined ? null : { [classes[positiveIndex]!]: threshold },
    postprocess: { temperature, topK: Math.min(config.postprocess.topK, classes.length) },
    metrics: { val: metrics.val, test: metrics.test },
  };
  const { location } = await env.writeBundle(runId, manifest, files);
  await env.tracker.setTags(runId, { bundle: location });
  progress({ stage: 'bundle', done: 1, total: 1, message: location });

  let model: TrainSummary['model'] = null;
  if (config.registry.register) {
    const version = await env.registry.registerVersion(manifest.name, { runId, bundle: location, metrics: metrics.test, configHash: hash, ...(env.gitSha ? { gitSha: env.gitSha } : {}) });
    if (config.registry.alias) await env.registry.setAlias(version.name, version.version, config.registry.alias);
    model = { name: version.name, version: version.version };
  }
  return { runId, metrics, bundle: location, model, validation };
}

/** Pseudo-labelling rounds after the first head: train.pseudoLabel.rounds when data.unlabelled is given, else 0. */
function pseudoLabelRounds(config: PipelineConfig): number {
  return config.data.unlabelled ? config.train.pseudoLabel.rounds : 0;
}

/** The final head's checkpoints go to CHECKPOINT_ARTIFACT; earlier self-training rounds' to their own. */
function checkpointArtifact(round: number, rounds: number): string {
  return round === rounds ? CHECKPOINT_ARTIFACT : `checkpoints/round-${round}.ckpt`;
}

/**
 * The checkpoints of a run being resumed, one per head-training round (undefined for a round it
 * did not reach). A finished round's checkpoint makes that round return at once with its head.
 */
async function readCheckpoints(env: TrainingEnvironment, runId: string, rounds: number): Promise<(Uint8Array | undefined)[]> {
  const checkpoints = await Promise.all(
    Array.from({ length: rounds + 1 }, (_, round) =>
      env.tracker.readArtifact(runId, checkpointArtifact(round, rounds)).catch((error: unknown) => {
        if ((error as CvfError).code === 'TRACKING_NOT_FOUND') return undefined;
        throw error;
      }),
    ),
  );
  if (checkpoints.every((c) => c === undefined)) {
    throw new TrackingError('TRACKING_NOT_FOUND', `run ${runId} has no head checkpoint to resume from (looked for ${Array.from({ length: rounds + 1 }, (_, r) => checkpointArtifact(r, rounds)).join(', ')})`);
  }
  return checkpoints;
}

/** PCA projection of a split, in row chunks: one binding stays well under GPU buffer limits. */
async function project(pca: Pca, matrix: FeatureMatrix, device: TrainingEnvironment['device'], chunkRows = 8192): Promise<FeatureMatrix> {
  const dim = pca.state.componentCount;
  const features = new Float32Array(matrix.rows * dim);
  for (let start = 0; start < matrix.rows; start += chunkRows) {
    const rows = Math.min(chunkRows, matrix.rows - start);
    const chunk = Tensor.cpu('f32', [rows, matrix.dim], matrix.features.subarray(start * matrix.dim, (start + rows) * matrix.dim));
    const projected = await pca.transform(chunk);
    features.set((await device.read(projected)) as Float32Array, start * dim);
    projected.dispose();
  }
  return { ...matrix, features, dim };
}

/** Rows that are original samples: the first row of each sample index (augmented copies come after). */
function originalRows(matrix: FeatureMatrix): number[] {
  const seen = new Set<number>();
  const rows: number[] = [];
  for (let row = 0; row < matrix.rows; row++) {
    const sample = matrix.sampleIndex[row]!;
    if (!seen.has(sample)) (seen.add(sample), rows.push(row));
  }
  return rows;
}

function gatherRows(matrix: FeatureMatrix, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * matrix.dim);
  rows.forEach((row, k) => out.set(matrix.features.subarray(row * matrix.dim, (row + 1) * matrix.dim), k * matrix.dim));
  return out;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

function summarizeEvaluation(evaluation: ClassifierEvaluation): unknown {
  return { confusionMatrix: evaluation.confusionMatrix, perClass: evaluation.perClass };
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value)}\n`);
}
