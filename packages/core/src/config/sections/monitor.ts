import { Cron } from 'croner';
import * as z from 'zod';
import { retrainSelectorSchema } from './retrain-selector.js';

/** Drift detectors `monitor.drift.method` accepts; `auto` runs mmd and input with a Bonferroni correction. */
export const driftMethodNames = ['auto', 'mmd', 'classifier', 'ks', 'psi', 'input', 'all'] as const;
export type DriftMethodName = (typeof driftMethodNames)[number];

/** What a time trigger does when its cron expression fires. */
export const scheduleActionNames = ['drift-check', 'retrain'] as const;
export type ScheduleActionName = (typeof scheduleActionNames)[number];

const driftSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('check the embeddings of live inputs against the bundle\'s drift reference every monitor.window predictions'),
    method: z
      .enum(driftMethodNames)
      .default('auto')
      .describe('auto: mmd and input (Bonferroni-corrected), drift when either fires; mmd: kernel two-sample test; classifier: domain-classifier AUC; ks: per-component Kolmogorov-Smirnov; psi: population stability index; input: image intensity statistics; all: every method'),
    alpha: z.number().gt(0).lt(1).default(0.05).describe('significance level of the tests with a p-value (mmd, ks, input)'),
    permutations: z.int().min(100).default(1000).describe('mmd: permutations of the p-value'),
    aucThreshold: z.number().min(0.5).max(1).default(0.55).describe('classifier: drift when the out-of-fold AUC exceeds this'),
    psiThreshold: z.number().positive().default(0.2).describe('psi: drift above this value (0.2 is a significant shift)'),
    ksShare: z.number().gt(0).max(1).default(0.2).describe('ks: drift when the share of components whose corrected test rejects exceeds this'),
  })
  .prefault({})
  .describe('drift detection on the embeddings and inputs of served predictions');

const performanceSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('track accuracy or sensitivity on labels fed back for served predictions'),
    metric: z.enum(['accuracy', 'sensitivity']).default('accuracy').describe('accuracy over all fed-back labels, or the sensitivity (recall) of one class'),
    class: z.string().min(1).optional().describe('sensitivity only (required there): the class whose sensitivity is tracked, e.g. the finding; default: none'),
    threshold: z.number().gt(0).lt(1).default(0.8).describe('the trigger fires when even the upper end of the metric\'s 95% Wilson interval is below this (the model is worse than this beyond chance; equivalently, the Wilson lower bound of the error rate exceeds 1 - threshold)'),
    minLabels: z.int().min(1).default(30).describe('labels needed before the trigger is evaluated'),
    window: z.int().min(1).default(500).describe('most recent fed-back labels the metric is computed over'),
  })
  .superRefine((p, ctx) => {
    if (p.metric === 'sensitivity' && p.class === undefined) {
      ctx.addIssue({ code: 'custom', path: ['class'], message: 'metric: sensitivity needs the class it is computed for (monitor.performance.class)' });
    }
    if (p.metric === 'accuracy' && p.class !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['class'], message: `class ${p.class} applies to metric: sensitivity only (metric is accuracy)` });
    }
  })
  .prefault({})
  .describe('performance trigger on fed-back labels');

const cronExpression = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    try {
      new Cron(pattern, { paused: true }).stop();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', message: `invalid cron expression "${pattern}": ${reason} (five fields "min hour day month weekday", or six with seconds first)` });
    }
  })
  .describe('cron expression: "min hour day month weekday", or six fields with seconds first (e.g. "0 3 * * 1" = Mondays 03:00)');

const scheduleEntrySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected letters, digits, ".", "_" or "-"' })
    .describe('trigger name, recorded with each event'),
  cron: cronExpression,
  action: z.enum(scheduleActionNames).describe('drift-check: a drift check over the inference log; retrain: run cvf retrain'),
});

const retrainSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('run cvf retrain automatically when a trigger fires'),
    onDrift: z.boolean().default(true).describe('retrain when the drift trigger fires (needs monitor.drift.enabled)'),
    onPerformance: z.boolean().default(true).describe('retrain when the performance trigger fires (needs monitor.performance.enabled)'),
    selector: retrainSelectorSchema,
  })
  .prefault({})
  .describe('automatic retraining and the champion/challenger selection');

export const monitorSchema = z
  .strictObject({
    window: z.int().min(10).default(500).describe('predictions per drift check'),
    drift: driftSchema,
    performance: performanceSchema,
    schedule: z.array(scheduleEntrySchema).default([]).describe('time triggers run by cvf scheduler'),
    retrain: retrainSchema,
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.schedule.forEach((entry, i) => {
      if (seen.has(entry.name)) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'name'], message: `schedule name ${entry.name} is used twice` });
      seen.add(entry.name);
    });
    if (!m.retrain.enabled) return;
    const byDrift = m.retrain.onDrift && m.drift.enabled;
    const byPerformance = m.retrain.onPerformance && m.performance.enabled;
    const bySchedule = m.schedule.some((entry) => entry.action === 'retrain');
    if (!byDrift && !byPerformance && !bySchedule) {
      ctx.addIssue({
        code: 'custom',
        path: ['retrain', 'enabled'],
        message: 'retraining is enabled but nothing triggers it: enable monitor.drift or monitor.performance (with onDrift/onPerformance), or add a schedule entry with action: retrain',
      });
    }
  })
  .prefault({})
  .describe('production monitoring: drift, performance and time triggers, and retraining');

export type MonitorConfig = z.output<typeof monitorSchema>;
export type PerformanceConfig = MonitorConfig['performance'];
export type ScheduleEntry = MonitorConfig['schedule'][number];
export type RetrainSelectorConfig = MonitorConfig['retrain']['selector'];
