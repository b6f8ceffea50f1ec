import { Rng } from '../compute/random.js';
import { pipelineConfigSchema, type PipelineConfig } from '../config/schema.js';
import { PipelineError } from '../errors.js';
import { configHash, flattenParams } from './config-hash.js';
import { runTrainingPipeline, type TrainPipelineOptions, type TrainSummary } from './train-pipeline.js';
import type { TrainingEnvironment } from './training-environment.js';

type TuneConfig = PipelineConfig['tune'];
type SpaceValue = TuneConfig['space'][string];
type Point = Record<string, unknown>;

export interface TrialResult {
  readonly runId: string;
  readonly params: Point;
  readonly validation: Record<string, number>;
  /** Whether every constraint held. */
  readonly eligible: boolean;
}

export interface TuneSummary extends Omit<TrainSummary, 'validation'> {
  /** The search's own run; each trial is a child run of it. */
  readonly runId: string;
  readonly bestRunId: string;
  readonly bestParams: Point;
  readonly trials: readonly TrialResult[];
}

/** Every combination of the value lists (grid), or `trials` seeded samples (random). */
export function searchPoints(tune: TuneConfig, seed: number): Point[] {
  const entries = Object.entries(tune.space);
  if (tune.strategy === 'grid') {
    return entries.reduce<Point[]>((points, [path, values]) => points.flatMap((point) => (values as unknown[]).map((value) => ({ ...point, [path]: value }))), [{}]);
  }
  const rng = new Rng(seed);
  return Array.from({ length: tune.trials }, () => Object.fromEntries(entries.map(([path, space]) => [path, sample(space, rng)])));
}

function sample(space: SpaceValue, rng: Rng): unknown {
  if (Array.isArray(space)) return rng.pick(space);
  return space.log ? Math.exp(rng.uniform(Math.log(space.min), Math.log(space.max))) : rng.uniform(space.min, space.max);
}

/** The config with a point's values set at their paths, validated again (a value may break a rule). */
export function applyPoint(config: PipelineConfig, point: Point): PipelineConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(point)) {
    const steps = path.split('.');
    let node = copy;
    for (const step of steps.slice(0, -1)) {
      if (node[step] === null || typeof node[step] !== 'object') node[step] = {};
      node = node[step] as Record<string, unknown>;
    }
    node[steps[steps.length - 1]!] = value;
  }
  const parsed = pipelineConfigSchema.safeParse(copy);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new PipelineError('PIPELINE_FAILED', `tune.space point ${JSON.stringify(point)} makes an invalid config: ${problems}`);
  }
  return parsed.data;
}

/**
 * A hyperparameter search from the `tune` section: each point of the space is a full training
 * run (a child of the search's run) scored on the validation split; the best eligible trial
 * (every constraint met, e.g. sensitivity ≥ 0.9) by `tune.metric` is the result, and only it is
 * registered.
 */
export async function runTuning(config: PipelineConfig, env: TrainingEnvironment, options: Pick<TrainPipelineOptions, 'runName' | 'note' | 'tags' | 'parentRunId' | 'addedTrainData'> = {}): Promise<TuneSummary> {
  const started = Date.now();
  const { tune } = config;
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
    const trialConfigs = points.map((point) => applyPoint({ ...config, tune: { ...tune, enabled: false }, registry: { register: false, ...(config.registry.modelName ? { modelName: config.registry.modelName } : {}) } }, point));
    const trials: (TrialResult & { summary: TrainSummary })[] = [];
    for (const [k, trialConfig] of trialConfigs.entries()) {
      env.signal?.throwIfAborted();
      const summary = await runTrainingPipeline(trialConfig, env, { parentRunId: search.id, ...(options.addedTrainData ? { addedTrainData: options.addedTrainData } : {}) });
      const eligible = tune.constraints.every((c) => {
        const value = summary.validation[c.metric];
        return value !== undefined && (c.min === undefined || value >= c.min) && (c.max === undefined || value <= c.max);
      });
      trials.push({ runId: summary.runId, params: points[k]!, validation: summary.validation, eligible, summary });
      const score = summary.validation[tune.metric];
      if (score !== undefined) await env.tracker.logMetrics(search.id, { [`trial.${tune.metric}`]: score }, k);
    }
    const better = (a: number, b: number) => (tune.mode === 'min' ? a < b : a > b);
    const best = trials
      .filter((t) => t.eligible && t.validation[tune.metric] !== undefined)
      .reduce<(typeof trials)[number] | null>((top, t) => (top === null || better(t.validation[tune.metric]!, top.validation[tune.metric]!) ? t : top), null);
    if (!best) {
      throw new PipelineError('PIPELINE_FAILED', `no trial of ${trials.length} has val ${tune.metric} and meets the constraints ${JSON.stringify(tune.constraints)}`);
    }
    let model: TrainSummary['model'] = null;
    if (config.registry.register) {
      const name = config.registry.modelName ?? config.name;
      const version = await env.registry.registerVersion(name, { runId: best.runId, bundle: best.summary.bundle, metrics: best.summary.metrics.test, configHash: await configHash(applyPoint(config, best.params)), ...(env.gitSha ? { gitSha: env.gitSha } : {}) });
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
