import type { PipelineConfig } from '../../config/schema.js';
import type { DataSource } from '../../config/sections/data.js';
import { openDataset } from '../../data/open-dataset.js';
import { RetrainError } from '../../errors.js';
import { scalarMetrics } from '../../eval/evaluate-classifier.js';
import type { ModelVersion } from '../../tracking/types.js';
import { configHash, flattenParams } from '../config-hash.js';
import { runTrainingPipeline } from '../train-pipeline.js';
import { runTuning } from '../tune.js';
import { registerEnsemble } from './ensemble-bundle.js';
import type { ScoredModel } from './held-out.js';
import { classColumns } from './held-out-predictions.js';
import { judgeOnHeldOut } from './judge-held-out.js';
import { recordDecision } from './record-decision.js';
import type { JudgedVersion, RetrainDecision } from './retrain-decision.js';
import type { RetrainEnvironment } from './retrain-environment.js';
import { selectModel, type SelectionResult } from './select-model.js';

/** What `registry.modelName` accepts. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface RetrainOptions {
  /** The registered model: its version at the alias is the champion, the challenger becomes its next version. */
  readonly model: string;
  /** Labelled sources added to the challenger's train split (`--data-add`); the held-out set stays the config's test split. */
  readonly addedTrainData?: readonly DataSource[];
}

/**
 * Champion/challenger retraining, tracked as one run: trains the challenger (a child run, registered
 * as the next version of `model`) on the config's data plus the additions, predicts the config's
 * test split with the champion (`model@alias`, the alias `registry.alias` promotes to, default
 * production) and the challenger through their Predictors, lets `monitor.retrain.selector` decide,
 * and moves the alias only to what it selects — the challenger, or their average registered as a
 * version of its own — so a server following the alias loads it. The decision, its figures and the
 * selector's evidence are kept in the run.
 */
export async function runRetraining(config: PipelineConfig, env: RetrainEnvironment, options: RetrainOptions): Promise<RetrainDecision> {
  const started = Date.now();
  const { model } = options;
  if (!MODEL_NAME.test(model)) throw new RetrainError('RETRAIN_OPTION_INVALID', `model name ${JSON.stringify(model.slice(0, 100))} is not a registered model name (letters, digits, ".", "_" or "-", starting with a letter or digit)`);
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
    // Refused before any training: a champion that cannot be judged on the config's classes.
    if (championVersion) {
      const { classes } = await openDataset(config.data, env.dataset);
      const { manifest } = await env.loadRegisteredBundle(championVersion);
      classColumns(manifest.classes, classes, `${model}@${championVersion.version}`);
    }
    // The challenger is registered as the next version of `model`; only the decision moves the alias.
    // With tune.enabled it is the best trial of a search, as cvf train would make it.
    const challengerConfig: PipelineConfig = { ...config, registry: { register: true, modelName: model } };
    const training = {
      parentRunId: run.id,
      runName: `${model} challenger`,
      tags: { role: 'challenger', ...(championVersion ? { champion: `${model}@${championVersion.version}` } : {}) },
      addedTrainData: added,
    };
    const trained = config.tune.enabled ? await runTuning(challengerConfig, env, training) : await runTrainingPipeline(challengerConfig, env, training);
    const challengerVersion = await env.registry.getVersion(model, trained.model!.version);
    const { heldOut, samples, judged } = await judgeOnHeldOut(config, env, championVersion ? [championVersion, challengerVersion] : [challengerVersion], env.onProgress ?? (() => {}));
    const [champion, challenger] = championVersion ? [judged[0]!, judged[1]!] : [null, judged[0]!];
    const verdict: SelectionResult = champion
      ? selectModel(selector, heldOut, champion.scores, challenger.scores)
      : { selector: selector.kind, selected: 'challenger', reason: `${model} has no version at alias ${alias}: the challenger is the first to serve`, evidence: {} };
    const ensembleVersion =
      verdict.selected === 'ensemble' && verdict.ensemble && champion ? await registerEnsemble(env, run.id, { challenger, champion, testMetrics: scalarMetrics(verdict.ensemble.evaluation) }) : null;
    const promoted = verdict.selected === 'challenger' ? challengerVersion : ensembleVersion;
    if (promoted) await env.registry.setAlias(model, promoted.version, alias);

    const decision: RetrainDecision = {
      promoted: promoted !== null,
      selected: verdict.selected,
      reason: verdict.reason,
      model,
      alias,
      runId: run.id,
      champion: champion ? judgedVersion(champion.version, champion.scores) : null,
      challenger: judgedVersion(challengerVersion, challenger.scores),
      ensemble: ensembleVersion && verdict.ensemble ? judgedVersion(ensembleVersion, verdict.ensemble) : null,
      test: {
        samples,
        classes: [...heldOut.classes],
        selector,
        evidence: verdict.evidence,
        ...(verdict.ensemble ? { ensemble: scalarMetrics(verdict.ensemble.evaluation) } : {}),
      },
      seconds: (Date.now() - started) / 1000,
    };
    await recordDecision(env.tracker, decision);
    await env.tracker.endRun(run.id, 'finished');
    return decision;
  } catch (error) {
    const aborted = env.signal?.aborted === true;
    await env.tracker.endRun(run.id, aborted ? 'killed' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function judgedVersion(version: ModelVersion, scores: ScoredModel): JudgedVersion {
  return { version: version.version, runId: version.runId, bundle: version.bundle, metrics: scalarMetrics(scores.evaluation) };
}
