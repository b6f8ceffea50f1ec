import type { PipelineConfig } from '../config/schema.js';
import type { DataSource } from '../config/sections/data.js';
import { TrackingError, type CvfError } from '../errors.js';
import { configHash, flattenParams } from './config-hash.js';
import { chooseDecision } from './decision/choose-decision.js';
import { writeModelBundle } from './stages/bundle.js';
import type { StageRun } from './stages/context.js';
import { openTrainingData } from './stages/data.js';
import { evaluateModel } from './stages/evaluate.js';
import { extractFeatures } from './stages/features.js';
import { cnnModel, trainCnnStage } from './stages/cnn.js';
import { checkpointArtifact, CHECKPOINT_ARTIFACT, pseudoLabelRounds, trainModel } from './stages/head.js';
import { buildCaseIndex, originalRows } from './stages/index.js';
import { fitPca } from './stages/pca.js';
import { registerModel } from './stages/register.js';
import type { TrainingEnvironment } from './training-environment.js';

export { CHECKPOINT_ARTIFACT };

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
  /** The run's name (`cvf train --name`); default: the pipeline name. */
  readonly runName?: string;
  /** A note kept as the run's `note` tag (`cvf train --note`); not part of the config or its hash. */
  readonly note?: string;
  /** Tags of this run only (`cvf train --tag`, the studio's job id), beside the config's; not part of the config or its hash. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Labelled sources added to the train split only (`cvf retrain --data-add`); val and test stay the config's. */
  readonly addedTrainData?: readonly DataSource[];
}

/**
 * One training run of a pipeline config, tracked from start to end. A failure ends the run as
 * failed (killed when aborted), with the reason.
 */
export async function runTrainingPipeline(config: PipelineConfig, env: TrainingEnvironment, options: TrainPipelineOptions = {}): Promise<TrainSummary> {
  const started = Date.now();
  const hash = await configHash(config);
  const resumeFrom = options.resumeRunId ? await readCheckpoints(env, options.resumeRunId, pseudoLabelRounds({ config })) : undefined;
  const run = await env.tracker.startRun({
    experiment: config.tracking.experiment ?? config.name,
    name: options.runName ?? config.name,
    configHash: hash,
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
    ...(options.parentRunId || options.resumeRunId ? { parentRunId: options.parentRunId ?? options.resumeRunId } : {}),
  });
  try {
    await env.tracker.logParams(run.id, flattenParams(config));
    await env.tracker.setTags(run.id, {
      ...config.tracking.tags,
      device: env.device.backend,
      ...(options.resumeRunId ? { resumedFrom: options.resumeRunId } : {}),
      ...(options.note ? { note: options.note } : {}),
      ...options.tags,
    });
    const summary = await train({ config, env, runId: run.id, progress: env.onProgress ?? (() => {}) }, hash, resumeFrom, options.addedTrainData);
    await env.tracker.endRun(run.id, 'finished');
    return { ...summary, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    const aborted = env.signal?.aborted === true;
    await env.tracker.endRun(run.id, aborted ? 'killed' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/**
 * The stages in order: data → features (preprocessing, augmentation of the train split) → PCA →
 * case index → head → evaluation → bundle → registry. Stateful components are fitted on the train
 * split only and saved into the bundle, so serving computes exactly what was evaluated.
 */
async function train(run: StageRun, configHash: string, resumeFrom: readonly (Uint8Array | undefined)[] | undefined, addedTrainData?: readonly DataSource[]): Promise<Omit<TrainSummary, 'seconds'>> {
  const training = await openTrainingData(run, addedTrainData);
  const { classes } = training;
  // A CNN learns its features: it trains first, and its embedding stands in for the extractor's.
  const cnn = run.config.model.head === 'cnn' ? await trainCnnStage(run, training, classes, resumeFrom?.[0]) : null;
  const { extractor, splits: features } = cnn ?? (await extractFeatures(run, training));
  const { pca, splits } = await fitPca(run, features);
  const originals = originalRows(splits.train);
  const index = await buildCaseIndex(run, originals, classes);
  const model = cnn ? cnnModel(run, cnn.classifier, pca) : await trainModel(run, { splits, classes, index, originals, ...(resumeFrom ? { resumeFrom } : {}) });
  const evaluation = await evaluateModel(run, model, splits, classes);
  const decision = chooseDecision(run.config, classes, { labels: splits.val.labels, probabilities: evaluation.valProbabilities });
  const bundle = await writeModelBundle(run, { configHash, classes, cases: training.data.train, extractor, ...(cnn ? { extractorParams: cnn.extractorParams } : {}), pca, index, originals, model, evaluation, decision });
  const registered = await registerModel(run, { manifest: bundle.manifest, location: bundle.location, configHash, metrics: evaluation.metrics.test });
  return { runId: run.runId, metrics: evaluation.metrics, bundle: bundle.location, model: registered, validation: evaluation.validation };
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
