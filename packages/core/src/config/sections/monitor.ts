import * as z from 'zod';

const driftSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('compare live inputs with the training distribution'),
    method: z.enum(['psi', 'ks']).default('psi').describe('population stability index, or Kolmogorov-Smirnov statistic'),
    signal: z.enum(['features', 'predictions']).default('features').describe('what is compared: the (PCA) features or the predicted class distribution'),
    threshold: z.number().positive().default(0.2).describe('drift is reported above this value (PSI > 0.2 is a significant shift; KS statistic D)'),
    window: z.int().positive().default(1000).describe('predictions per comparison window'),
    bins: z.int().min(2).default(10).describe('psi only: histogram bins'),
  })
  .prefault({})
  .describe('input drift detection in serving');

const retrainSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('trigger a retraining run automatically'),
    onDrift: z.boolean().default(true).describe('trigger when drift is detected (needs monitor.drift.enabled)'),
  })
  .prefault({})
  .describe('automatic retraining');

export const monitorSchema = z
  .strictObject({
    drift: driftSchema,
    retrain: retrainSchema,
  })
  .superRefine((m, ctx) => {
    if (m.retrain.enabled && m.retrain.onDrift && !m.drift.enabled) {
      ctx.addIssue({ code: 'custom', path: ['retrain', 'onDrift'], message: 'retraining on drift needs monitor.drift.enabled: true' });
    }
  })
  .prefault({})
  .describe('production monitoring');
