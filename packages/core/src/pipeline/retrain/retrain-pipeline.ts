import type { Bundle } from '../../bundle/bundle.js';
import { bundleDigest } from '../../bundle/digest.js';
import type { PipelineConfig } from '../../config/schema.js';
import type { DataSource } from '../../config/sections/data.js';
import { openDataset } from '../../data/open-dataset.js';
import { scalarMetrics } from '../../eval/evaluate-classifier.js';
import type { ModelVersion } from '../../tracking/types.js';
import { configHash, flattenParams } from '../config-hash.js';
import { prefixed } from '../head-training.js';
import { Predictor } from '../predictor.js';
import { runTrainingPipeline } from '../train-pipeline.js';
import type { TrainingEnvironment } from '../training-environment.js';
import { scoreModel, type HeldOutSet, type ScoredModel } from './held-out.js';
import { heldOutProbabilities } from './held-out-predictions.js';
import { writeEnsembleBundle } from './ensemble-bundle.js';
import type { JudgedVersion, RetrainDecision } from './retrain-decision.js';
import { selectModel, type SelectionResult } from './select-model.js';
import { numericLeaves } from './numeric-leaves.js';

/** A training environment that can also read registered versions (the champion, the challenger) for serving. */
export interface RetrainEnvironment extends TrainingEnvironment {
  /** A registered version's bundle, checked against the digest the registry recorded. */
  loadRegisteredBundle(version: ModelVersion): Promise<Bundle>;
}

export interface RetrainOptions {
  /** The registered model: its version at the alias is the champion, the challenger becomes its next version. */
  readonly model: string;
  /** Labelled sources added to the challenger's train split (`--data-add`); the held-out set stays the config's test split. */
  readonly addedTrainData?: readonly DataSource[];
}

/** The artifact of the retraining run that holds the whole decision. */
export const RETRAIN_DECISION_ARTIFACT = 'retrain-decision.json';

/**
 * Champion/challenger retraining, tracked as one run: trains the challenger (a child run, registered
 * as the next version of `model`) on the config's data plus the additions, predicts the config's
 * test split with the champion (`model@alias`, the alias `registry.alias` promotes to, default
 * production) and the challenger through their Predictors, lets `monitor.retrain.selector` decide,
 * and moves the alias only when the challenger is selected — a server following the alias then
 * loads it. The decision, its figures and the selector's evidence are kept in the run.
 */
export async function runRetraining(config: PipelineConfig, env: RetrainEnvironment, options: RetrainOptions): Promise<RetrainDecision> {
  const started = Date.now();
  const { model } = options;
  const alias = config.registry.alias ?? 'production';
  const selector = config.monitor.retrain.selector;
  const added = options.addedTrainData ?? [];
  const run = await env.tracker.startRun({
    experiment: config.tracking.experiment ?? config.name,
    name: `retrain ${model}`,
    configHash: await configHash(config),
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
  });
  try {
    await env.tracker.logParams(run.id, { ...flattenParams(config), 'retrain.model': model, 'retrain.alias': alias, 'retrain.dataAdd': JSON.stringify(added) });
    await env.tracker.setTags(run.id, { ...config.tracking.tags, retrain: model, device: env.device.backend });
    const championVersion = await env.registry.getByAlias(model, alias);
    // The challenger is registered as the next version of `model`; only the decision moves the alias.
    const challengerConfig: PipelineConfig = { ...config, registry: { register: true, modelName: model } };
    const trained = await runTrainingPipeline(challengerConfig, env, {
      parentRunId: run.id,
      runName: `${model} challenger`,
      tags: { role: 'challenger', ...(championVersion ? { champion: `${model}@${championVersion.version}` } : {}) },
      addedTrainData: added,
    });
    const challengerVersion = await env.registry.getVersion(model, trained.model!.version);

    const opened = await openDataset(config.data, env.dataset);
    const heldOut: HeldOutSet = {
      labels: Int32Array.from(opened.test, (s) => s.classIndex),
      classes: opened.classes,
      calibrationBins: config.evaluate.calibrationBins,
      ...(config.evaluate.positiveClass === undefined ? {} : { positiveClass: config.evaluate.positiveClass }),
    };
    const progress = env.onProgress ?? (() => {});
    const models = championVersion ? [championVersion, challengerVersion] : [challengerVersion];
    const total = models.length * opened.test.length;
    const scored: ScoredModel[] = [];
    const bundles: Bundle[] = [];
    for (const [i, version] of models.entries()) {
      bundles.push(await env.loadRegisteredBundle(version));
      const predictor = await Predictor.load(bundles[i]!, { device: env.device, ...(env.onnxRuntime ? { onnxRuntime: env.onnxRuntime } : {}) });
      try {
        const probabilities = await heldOutProbabilities(predictor, opened.test, opened.classes, (done) =>
          progress({ stage: 'compare', done: i * opened.test.length + done, total, message: `${model}@${version.version} on ${opened.test.length} held-out images` }),
        );
        scored.push(scoreModel(heldOut, probabilities));
      } finally {
        await predictor.release();
      }
    }
    const [championScores, challengerScores] = championVersion ? [scored[0]!, scored[1]!] : [null, scored[0]!];
    const verdict: SelectionResult = championScores
      ? selectModel(selector, heldOut, championScores, challengerScores)
      : { selector: selector.kind, selected: 'challenger', reason: `${model} has no version at alias ${alias}: the challenger is the first to serve`, evidence: {} };
    // The averaged model is registered as a version of its own: the challenger's bundle holding the champion's.
    const ensembleVersion =
      verdict.selected === 'ensemble' && verdict.ensemble
        ? await registerEnsemble(env, run.id, { model, configHash: challengerVersion.configHash, primary: bundles[1]!, member: bundles[0]!, memberVersion: championVersion!.version, testMetrics: scalarMetrics(verdict.ensemble.evaluation) })
        : null;
    const promotedVersion = verdict.selected === 'challenger' ? challengerVersion : ensembleVersion;
    if (promotedVersion) await env.registry.setAlias(model, promotedVersion.version, alias);

    const judged = (version: ModelVersion, scores: ScoredModel): JudgedVersion => ({ version: version.version, runId: version.runId, bundle: version.bundle, metrics: scalarMetrics(scores.evaluation) });
    const decision: RetrainDecision = {
      promoted: promotedVersion !== null,
      selected: verdict.selected,
      reason: verdict.reason,
      model,
      alias,
      runId: run.id,
      champion: championVersion && championScores ? judged(championVersion, championScores) : null,
      challenger: judged(challengerVersion, challengerScores),
      ensemble: ensembleVersion && verdict.ensemble ? judged(ensembleVersion, verdict.ensemble) : null,
      test: {
        samples: opened.test.length,
        classes: [...opened.classes],
        selector,
        evidence: verdict.evidence,
        ...(verdict.ensemble ? { ensemble: scalarMetrics(verdict.ensemble.evaluation) } : {}),
      },
      seconds: (Date.now() - started) / 1000,
    };
    await recordDecision(env, decision);
    await env.tracker.endRun(run.id, 'finished');
    return decision;
  } catch (error) {
    const aborted = env.signal?.aborted === true;
    await env.tracker.endRun(run.id, aborted ? 'killed' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The decision in the run: tags to filter runs by, metrics to chart, and the whole record as an artifact. */
async function recordDecision(env: RetrainEnvironment, decision: RetrainDecision): Promise<void> {
  const { runId, model } = decision;
  await env.tracker.setTags(runId, {
    decision: decision.promoted ? 'promoted' : 'kept',
    selected: decision.selected,
    selector: decision.test.selector.kind,
    champion: decision.champion ? `${model}@${decision.champion.version}` : 'none',
    challenger: `${model}@${decision.challenger.version}`,
    ...(decision.ensemble ? { ensemble: `${model}@${decision.ensemble.version}` } : {}),
    reason: decision.reason,
  });
  await env.tracker.logMetrics(
    runId,
    {
      ...(decision.champion ? prefixed('champion', decision.champion.metrics) : {}),
      ...prefixed('challenger', decision.challenger.metrics),
      ...(decision.test.ensemble ? prefixed('ensemble', decision.test.ensemble) : {}),
      ...prefixed('evidence', numericLeaves(decision.test.evidence)),
      promoted: decision.promoted ? 1 : 0,
      'test.samples': decision.test.samples,
    },
    0,
  );
  await env.tracker.logArtifact(runId, RETRAIN_DECISION_ARTIFACT, new TextEncoder().encode(`${JSON.stringify(decision, null, 2)}\n`));
}

/** Writes the averaged champion+challenger bundle under the retraining run and registers it as the next version of `model`. */
async function registerEnsemble(
  env: RetrainEnvironment,
  runId: string,
  parts: { model: string; configHash: string | null; primary: Bundle; member: Bundle; memberVersion: number; testMetrics: Record<string, number> },
): Promise<ModelVersion> {
  const written = await writeEnsembleBundle(env, runId, { primary: parts.primary, member: parts.member, memberVersion: { name: parts.model, version: parts.memberVersion }, testMetrics: parts.testMetrics });
  return env.registry.registerVersion(parts.model, {
    runId,
    bundle: written.location,
    metrics: parts.testMetrics,
    bundleDigest: await bundleDigest(written.manifest),
    ...(parts.configHash ? { configHash: parts.configHash } : {}),
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
  });
}
