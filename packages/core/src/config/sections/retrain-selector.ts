import * as z from 'zod';
import { scalarMetricNames } from './common.js';

// How `cvf retrain` decides between the champion (the version in service) and the challenger it
// trained. A discriminated union: each selector accepts only its own options.

const metricSelector = z.strictObject({
  kind: z.literal('metric').describe('the challenger wins when its test metric beats the champion by the margin and McNemar\'s test on the paired predictions is significant'),
  metric: z.enum(scalarMetricNames).default('accuracy').describe('test-split metric compared (its natural direction: lower is better for log-loss, brier, ece)'),
  margin: z.number().min(0).default(0.01).describe('how much better the challenger must be, in the metric\'s units'),
  alpha: z.number().gt(0).lt(1).default(0.05).describe("significance level of McNemar's test on the paired correct/incorrect predictions"),
});

const ruleSelector = z.strictObject({
  kind: z.literal('rule').describe('the challenger wins unless it breaks a safety rule against the champion'),
  maxSensitivityDrop: z.number().min(0).max(1).default(0.02).describe("largest drop of any class's sensitivity (recall) allowed, absolute"),
  maxEceIncrease: z.number().min(0).max(1).default(0.02).describe('largest increase of the expected calibration error allowed, absolute'),
});

const ensembleSelector = z.strictObject({
  kind: z.literal('ensemble').describe('the averaged champion+challenger bundle is promoted when it beats both on the test split'),
  metric: z.enum(scalarMetricNames).default('accuracy').describe('test-split metric the ensemble must beat both members on'),
});

export const retrainSelectorSchema = z
  .discriminatedUnion('kind', [metricSelector, ruleSelector, ensembleSelector])
  .prefault({ kind: 'metric' })
  .describe('champion/challenger selector: metric (margin + McNemar), rule (sensitivity and calibration limits) or ensemble');
