import * as z from 'zod';
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

const constraintSchema = z
  .strictObject({
    metric: trackedMetric,
    min: z.number().optional().describe('reject trials whose metric is below this; default: no lower bound'),
    max: z.number().optional().describe('reject trials whose metric is above this; default: no upper bound'),
  })
  .superRefine((c, ctx) => {
    if (c.min === undefined && c.max === undefined) ctx.addIssue({ code: 'custom', message: 'a constraint needs min or max' });
  });

export const tuneSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('run a hyperparameter search instead of a single training run'),
    strategy: z.enum(['grid', 'random']).default('random').describe('grid: every combination of value lists; random: sample `trials` points'),
    trials: z.int().positive().default(20).describe('random only: number of trials'),
    metric: trackedMetric.default('loss'),
    mode: metricModeField,
    space: z
      .record(z.string().min(1), z.union([valuesSchema, rangeSchema]))
      .default({})
      .describe('config path -> list of values or a {min, max, log} range, e.g. "train.optimizer.lr": { min: 1e-4, max: 1e-2, log: true }'),
    constraints: z
      .array(constraintSchema)
      .default([])
      .describe('a trial is only eligible when every constraint holds, e.g. [{ metric: sensitivity, min: 0.9 }]'),
  })
  .superRefine((tune, ctx) => {
    if (tune.enabled && Object.keys(tune.space).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['space'], message: 'tuning is enabled but the search space is empty' });
    }
    if (tune.strategy === 'grid') {
      for (const [key, value] of Object.entries(tune.space)) {
        if (!Array.isArray(value)) {
          ctx.addIssue({ code: 'custom', path: ['space', key], message: 'grid search needs a list of values, got a {min, max} range' });
        }
      }
    }
  })
  .transform(withMetricMode)
  .prefault({})
  .describe('hyperparameter search over config paths');
