import * as z from 'zod';
import { scalarMetricNames } from './common.js';

export const evaluateSchema = z
  .strictObject({
    metrics: z
      .array(z.enum([...scalarMetricNames, 'confusion-matrix', 'reliability-diagram']))
      .min(1)
      .default(['accuracy', 'balanced-accuracy', 'f1', 'auroc', 'ece', 'confusion-matrix'])
      .describe('what is computed on the test split and stored with the run and the bundle'),
    positiveClass: z
      .string()
      .min(1)
      .optional()
      .describe('binary tasks: the class that is the finding (sensitivity, specificity and thresholds refer to it); default: one-vs-rest per class'),
    thresholds: z
      .strictObject({
        strategy: z
          .enum(['none', 'youden', 'target-sensitivity'])
          .default('none')
          .describe('none: argmax; youden: maximise sensitivity + specificity - 1; target-sensitivity: lowest threshold reaching it (chosen on the val split)'),
        targetSensitivity: z.number().gt(0).max(1).default(0.95).describe('target-sensitivity only: sensitivity to reach'),
      })
      .prefault({})
      .describe('decision thresholds, stored in the bundle'),
    calibrationBins: z.int().min(2).default(15).describe('bins of the expected calibration error and reliability diagram'),
    bootstrap: z.int().min(0).default(0).describe('bootstrap resamples for 95% confidence intervals; 0 disables them'),
  })
  .prefault({})
  .describe('evaluation on the test split');
