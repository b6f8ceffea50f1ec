import type { PipelineConfig } from '../config/schema.js';
import { PipelineError } from '../errors.js';
import { configHash, flattenParams } from './config-hash.js';
import { runTrainingPipeline, type TrainPipelineOptions, type TrainSummary } from './train-pipeline.js';
import type { TrainingEnvironment } from './training-environment.js';
import { applyPoint, searchPoints, type Point } from './tune/search-space.js';
import { runSuccessiveHalving, type RungRecord } from './tune/successive-halving.js';
import { canWin, meetsConstraints, rankTrials } from './tune/trial-ranking.js';

export interface TrialResult {
  /** The trial's last run (successive halving: the run of the rung it stopped at). */
  readonly runId: string;
  readonly params: Point;
  readonly validation: Record<string, number>;
  /** Whether every constraint held. */
  readonly eligible: boolean;
  /** Successive halving: the epochs it was given in all, and whether it was stopped before the last rung. */
  readonly epochs?: number;
  readonly stoppedEarly?: boolean;
}

export interface TuneSummary extends Omit<TrainSummary, 'validation'> {
  /** The search's own run; each trial is a child run of it. */
  readonly runId: string;
  readonly bestRunId: string;
  readonly bestParams: Point;
  readonly trials: readonly TrialResult[];
  /** Successive halving: what each rung trained and kept. */
  readonly rungs?: readonly RungRecord[];
}

type Trial = TrialResult & { readonly summary: TrainSummary };

/**
 * A search from the `tune` section. Grid and random: each point of the space is a full training
 * run (a child of the search's run) scored on the validation split. Successive halving: every
 * point trains a few epochs, and only the best 1/η continue, rung by rung (tune/successive-halving.ts).
 * The best eligible trial (every constraint met, e.g. sensitivity ≥ 0.9) by `tune.metric` is the
 * result, and only its bundle — trained to the full epochs — is registered.
 */
export async function runTuning(config: PipelineConfig, env: TrainingEnvironment, options: Pick<TrainPipelineOptions, 'runName' | 'note' | 'tags' | 'parentRunId' | 'addedTrainData'> = {}): Promise<TuneSummary> {
  const started = Date.now();
  const { tune } = config;
  const halving = tune.strategy === 'successive-halving';
  // The winner's config: its point, trained to the last rung's epochs under halving.
  const finalConfig = halving ? { ...config, train: { ...config.train, epochs: tune.halving.maxEpochs ?? config.train.epochs } } : config;
  const points = searchPoints(tune, config.train.seed);
  const search = await env.tracker.startRun({
    experiment: config.tracking.experiment ?? config.name,
    name: options.runName ?? `${config.name} (search)`,
    configHash: await configHash(config),
    ...(env.gitSha ? { gitSha: env.gitSha } : {}),
    ...(options.parentRunId ? { parentRunId: options.parentRunId } : {}),
  });
  try {
    await env.tracker.logParams(search.id, flattenParams(config));
    await env.tracker.setTags(search.id, { ...config.tracking.tags, kind: 'tune', strategy: tune.strategy, ...(options.note ? { note: options.note } : {}), ...options.tags });
    const trialConfigs = points.map((point) => applyPoint({ ...finalConfig, tune: { ...tune, enabled: false }, registry: { register: false, ...(config.registry.modelName ? { modelName: config.registry.modelName } : {}) } }, point));
    const added = options.addedTrainData ? { addedTrainData: options.addedTrainData } : {};
    let trials: Trial[];
    let rungs: RungRecord[] | undefined;
    if (halving) {
      const result = await runSuccessiveHalving({ tune, trialConfigs, maxEpochs: finalConfig.train.epochs, searchRunId: search.id, ...added }, env);
      trials = result.trials.map((t) => ({ runId: t.summary.runId, params: points[t.trial]!, validation: t.summary.validation, eligible: meetsConstraints(tune, t.summary.validation), epochs: t.epochs, stoppedEarly: t.stoppedEarly, summary: t.summary }));
      rungs = result.rungs;
    } else {
      trials = [];
      for (const [k, trialConfig] of trialConfigs.entries()) {
        env.signal?.throwIfAborted();
        const summary = await runTrainingPipeline(trialConfig, env, { parentRunId: search.id, ...added });
        trials.push({ runId: summary.runId, params: points[k]!, validation: summary.validation, eligible: meetsConstraints(tune, summary.validation), summary });
      }
    }
    for (const [k, trial] of trials.entries()) {
      const score = trial.validation[tune.metric];
      if (score !== undefined) await env.tracker.logMetrics(search.id, { [`trial.${tune.metric}`]: score }, k);
    }
    // Under halving only the last rung's trials trained the full epochs: the winner is among them.
    const finalists = halving ? trials.filter((t) => !t.stoppedEarly) : trials;
    const best = rankTrials(tune, finalists)[0];
    if (!best || !canWin(tune, best)) {
      throw new PipelineError('PIPELINE_FAILED', `no trial of ${finalists.length} has val ${tune.metric} and meets the constraints ${JSON.stringify(tune.constraints)}`);
    }
    let model: TrainSummary['model'] = null;
    if (config.registry.register) {
      const name = config.registry.modelName ?? config.name;
      const version = await env.registry.registerVersion(name, { runId: best.runId, bundle: best.summary.bundle, metrics: best.summary.metrics.test, configHash: await configHash(applyPoint(finalConfig, best.params)), ...(env.gitSha ? { gitSha: env.gitSha } : {}) });
      if (config.registry.alias) await env.registry.setAlias(name, version.version, config.registry.alias);
      model = { name, version: version.version };
    }
    await env.tracker.logMetrics(search.id, { [`best.${tune.metric}`]: best.validation[tune.metric]! }, trials.length);
    await env.tracker.setTags(search.id, { bestRunId: best.runId, bundle: best.summary.bundle });
    await env.tracker.endRun(search.id, 'finished');
    return {
      runId: search.id,
      bestRunId: best.runId,
      bestParams: best.params,
      trials: trials.map(({ summary: _summary, ...trial }) => trial),
      ...(rungs ? { rungs } : {}),
      metrics: best.summary.metrics,
      bundle: best.summary.bundle,
      model,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (error) {
    await env.tracker.endRun(search.id, env.signal?.aborted ? 'killed' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}
