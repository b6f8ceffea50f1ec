import * as z from 'zod';
import { MAX_HIDDEN_LAYERS } from '../limits.js';
import { metricModeField, trackedMetric, withMetricMode } from './common.js';

const rangeSchema = z
  .strictObject({
    min: z.number().describe('lower bound'),
    max: z.number().describe('upper bound'),
    log: z.boolean().default(false).describe('sample uniformly in log space (learning rates, weight decay)'),
  })
  .superRefine((r, ctx) => {
    if (!(r.min < r.max)) ctx.addIssue({ code: 'custom', path: ['max'], message: `max must be greater than min (${r.min}), got ${r.max}` });
    if (r.log && r.min <= 0) ctx.addIssue({ code: 'custom', path: ['min'], message: `a log range needs min > 0, got ${r.min}` });
  });

// A list value is itself allowed, for list settings such as `model.hidden: [[128], [256, 128]]`.
const valuesSchema = z.array(z.union([z.number(), z.string(), z.boolean(), z.array(z.number())])).min(1);

/** Widest stage and deepest stage a searched network may have (model.cnn.blocks allows 64 blocks). */
const MAX_CNN_WIDTH = 4096;
const MAX_CNN_STAGES = 8;
const MAX_CNN_DEPTH = 8;
export const CNN_STAGE_BLOCK_KINDS = ['conv', 'residual'] as const;

/**
 * Space keys that shape a network instead of naming one setting: per trial they are expanded into
 * `model.cnn.blocks` (stages of `depth` blocks of kind `block`, `widths[i]` channels in stage i, a
 * pooling block between stages); the keys left out keep the base network's stages.
 */
export const CNN_ARCHITECTURE_KEYS = ['model.cnn.widths', 'model.cnn.depth', 'model.cnn.block'] as const;
export type CnnArchitectureKey = (typeof CNN_ARCHITECTURE_KEYS)[number];

export function isCnnArchitectureKey(key: string): key is CnnArchitectureKey {
  return (CNN_ARCHITECTURE_KEYS as readonly string[]).includes(key);
}

const isCount = (value: unknown, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
const countList = (value: unknown, maxLength: number, maxCount: number): boolean => Array.isArray(value) && value.length >= 1 && value.length <= maxLength && value.every((v) => isCount(v, maxCount));

/** What each architecture key (and the MLP's `model.hidden`) accepts as one value, and how to say so. */
const architectureValues: Record<CnnArchitectureKey | 'model.hidden', { readonly accepts: (value: unknown) => boolean; readonly expected: string }> = {
  'model.cnn.widths': { accepts: (v) => countList(v, MAX_CNN_STAGES, MAX_CNN_WIDTH), expected: `a list of 1 to ${MAX_CNN_STAGES} stage widths (integers 1..${MAX_CNN_WIDTH}), e.g. [16, 32]` },
  'model.cnn.depth': { accepts: (v) => isCount(v, MAX_CNN_DEPTH), expected: `blocks per stage, an integer 1..${MAX_CNN_DEPTH}` },
  'model.cnn.block': { accepts: (v) => (CNN_STAGE_BLOCK_KINDS as readonly unknown[]).includes(v), expected: `a block kind: ${CNN_STAGE_BLOCK_KINDS.join('|')}` },
  'model.hidden': { accepts: (v) => countList(v, MAX_HIDDEN_LAYERS, Number.MAX_SAFE_INTEGER), expected: `a list of 1 to ${MAX_HIDDEN_LAYERS} hidden layer widths (positive integers), e.g. [256, 128]` },
};

const constraintSchema = z
  .strictObject({
    metric: trackedMetric,
    min: z.number().optional().describe('reject trials whose metric is below this; default: no lower bound'),
    max: z.number().optional().describe('reject trials whose metric is above this; default: no upper bound'),
  })
  .superRefine((c, ctx) => {
    if (c.min === undefined && c.max === undefined) ctx.addIssue({ code: 'custom', message: 'a constraint needs min or max' });
  });

// Hyperband's names: r (minimum resource), R (maximum resource), η (reduction factor; Optuna's
// and Ray's reduction_factor). The resource here is the training epoch.
const halvingSchema = z
  .strictObject({
    minEpochs: z.int().positive().default(1).describe('epochs every trial trains in the first rung (the minimum resource r)'),
    maxEpochs: z.int().positive().optional().describe('epochs of the last rung, the most any trial trains (the maximum resource R); default: train.epochs'),
    eta: z.int().min(2).max(16).default(3).describe('reduction factor η: each rung keeps the best 1/η of its trials (at least one) and continues them to η times the epochs'),
  })
  .superRefine((h, ctx) => {
    if (h.maxEpochs !== undefined && h.maxEpochs > 0 && h.maxEpochs < h.minEpochs) ctx.addIssue({ code: 'custom', path: ['maxEpochs'], message: `maxEpochs must be at least minEpochs (${h.minEpochs}), got ${h.maxEpochs}` });
  })
  .prefault({})
  .describe('successive-halving only: the rungs of epochs');

export const tuneSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('run a hyperparameter search instead of a single training run'),
    strategy: z
      .enum(['grid', 'random', 'successive-halving'])
      .default('random')
      .describe('grid: every combination of value lists; random: sample `trials` points; successive-halving: sample `trials` distinct points (fewer if the space has fewer), train them all `halving.minEpochs`, keep the best 1/eta on the validation metric and continue them, rung by rung, to `halving.maxEpochs`'),
    trials: z.int().positive().default(20).describe('random and successive-halving: number of trials'),
    halving: halvingSchema,
    metric: trackedMetric.default('loss'),
    mode: metricModeField,
    space: z
      .record(z.string().min(1), z.union([valuesSchema, rangeSchema]))
      .default({})
      .describe(
        'config path -> list of values or a {min, max, log} range, e.g. "train.optimizer.lr": { min: 1e-4, max: 1e-2, log: true }; ' +
          'architecture keys (lists only): model.hidden (mlp: lists of layer widths), model.cnn.widths (cnn: lists of stage widths), model.cnn.depth (cnn: blocks per stage), model.cnn.block (cnn: conv|residual) — ' +
          'a cnn trial is built as stages of depth blocks, widths[i] channels in stage i, the base network’s pooling between stages; keys left out keep the base network’s stages',
      ),
    constraints: z
      .array(constraintSchema)
      .default([])
      .describe('a trial is only eligible when every constraint holds, e.g. [{ metric: sensitivity, min: 0.9 }]'),
  })
  .superRefine((tune, ctx) => {
    if (tune.enabled && Object.keys(tune.space).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['space'], message: 'tuning is enabled but the search space is empty' });
    }
    for (const [key, value] of Object.entries(tune.space)) {
      if (tune.strategy === 'grid' && !Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', path: ['space', key], message: 'grid search needs a list of values, got a {min, max} range' });
      }
      const architecture = architectureValues[key as keyof typeof architectureValues];
      if (architecture === undefined) continue;
      if (!Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', path: ['space', key], message: `${key} needs a list of values (each ${architecture.expected}), got a {min, max} range` });
        continue;
      }
      value.forEach((v, i) => {
        if (!architecture.accepts(v)) ctx.addIssue({ code: 'custom', path: ['space', key, i], message: `${key} values must each be ${architecture.expected}, got ${JSON.stringify(v)}` });
      });
    }
    if (tune.strategy === 'successive-halving' && 'train.epochs' in tune.space) {
      ctx.addIssue({ code: 'custom', path: ['space', 'train.epochs'], message: 'successive halving sets the epochs of each rung itself (tune.halving); remove train.epochs from the space' });
    }
  })
  .transform(withMetricMode)
  .prefault({})
  .describe('hyperparameter and architecture search over config paths');

type TuneSection = z.output<typeof tuneSchema>;

/** What the cross-section rules of `tune` read from the whole config. */
interface TunedPipeline {
  readonly tune: TuneSection;
  readonly model: { readonly head: string };
  readonly train: { readonly epochs: number; readonly fixmatch?: unknown };
}

/**
 * The rules of `tune` that read other sections: every space key is a setting of this pipeline (or
 * an architecture key of its head), and successive halving has a trained head and room for rungs.
 */
export function checkTuneAgainstPipeline(config: TunedPipeline, ctx: z.RefinementCtx): void {
  const { tune } = config;
  for (const key of Object.keys(tune.space)) {
    if (isCnnArchitectureKey(key)) {
      if (config.model.head !== 'cnn') ctx.addIssue({ code: 'custom', path: ['tune', 'space', key], message: `${key} shapes a cnn network, and model.head is ${config.model.head} (use model.head: cnn, or model.hidden for an mlp)` });
    } else if (valueAt(config, key.split('.')) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tune', 'space', key], message: `"${key}" is not a setting of this pipeline (write a dotted path such as train.optimizer.lr)` });
    }
  }
  if (tune.strategy === 'successive-halving') {
    if (config.model.head === 'knn') {
      ctx.addIssue({ code: 'custom', path: ['tune', 'strategy'], message: 'successive halving stops trials between epochs, and the knn head is not trained (choose softmax, mlp or cnn, or strategy grid|random)' });
    }
    if (config.train.fixmatch !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tune', 'strategy'], message: 'successive halving continues trials from their checkpoints, and train.fixmatch runs cannot be resumed (choose strategy grid|random)' });
    }
    const maxEpochs = tune.halving.maxEpochs ?? config.train.epochs;
    if (tune.halving.maxEpochs === undefined && maxEpochs < tune.halving.minEpochs) {
      ctx.addIssue({ code: 'custom', path: ['tune', 'halving', 'minEpochs'], message: `minEpochs must be at most the last rung's epochs (tune.halving.maxEpochs, default train.epochs = ${maxEpochs}), got ${tune.halving.minEpochs}` });
    }
  }
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
