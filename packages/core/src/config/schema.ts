import * as z from 'zod';
import { quoteShort } from './limits.js';
import { augmentSchema } from './sections/augment.js';
import { computeSchema } from './sections/compute.js';
import { dataSchema } from './sections/data.js';
import { decisionSchema } from './sections/decision.js';
import { evaluateSchema } from './sections/evaluate.js';
import { featuresSchema } from './sections/features.js';
import { inputContractConfigSchema } from './sections/input-contract.js';
import { modelSchema } from './sections/model.js';
import { monitorSchema } from './sections/monitor.js';
import { pcaSchema } from './sections/pca.js';
import { postprocessSchema } from './sections/postprocess.js';
import { preprocessSchema } from './sections/preprocess.js';
import { registrySchema } from './sections/registry.js';
import { trackingSchema } from './sections/tracking.js';
import { trainSchema } from './sections/train.js';
import { checkTuneAgainstPipeline, tuneSchema } from './sections/tune.js';
import { indexSchema } from './sections/vector-index.js';

// The sections; the rules that span several of them are added below.
const pipelineSectionsSchema = z.strictObject({
  version: z.literal(1).describe('pipeline config format version'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected a name of letters, digits, ".", "_" or "-" (it names runs and models)' })
    .max(100)
    .describe('pipeline name; default name of the experiment and the registered model'),
  data: dataSchema,
  preprocess: preprocessSchema,
  input: inputContractConfigSchema,
  augment: augmentSchema,
  features: featuresSchema,
  pca: pcaSchema,
  index: indexSchema,
  model: modelSchema,
  train: trainSchema,
  tune: tuneSchema,
  evaluate: evaluateSchema,
  postprocess: postprocessSchema,
  decision: decisionSchema,
  registry: registrySchema,
  monitor: monitorSchema,
  compute: computeSchema,
  tracking: trackingSchema,
});

/**
 * The pipeline YAML, version 1. Only `version`, `name` and `data.source` are required; every
 * other field has a documented default. Objects are strict, so a misspelt key is an error.
 */
export const pipelineConfigSchema = pipelineSectionsSchema.superRefine(checkAcrossSections).describe('CV Factory pipeline');

/** The validated pipeline config, with every default filled in. */
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
/** What a user may write: the same shape with defaulted fields optional. */
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;

/** Rules that tie sections together. zod skips them while any section has a type error (their input would be incomplete). */
function checkAcrossSections(config: z.output<typeof pipelineSectionsSchema>, ctx: z.RefinementCtx): void {
  const { data, train, tune, evaluate } = config;
  if (data.splits.val === 0) {
    if (train.earlyStopping.enabled && config.model.head !== 'knn') {
      ctx.addIssue({ code: 'custom', path: ['train', 'earlyStopping', 'enabled'], message: 'early stopping needs a validation set, but data.splits.val is 0' });
    }
    if (tune.enabled) {
      ctx.addIssue({ code: 'custom', path: ['tune', 'enabled'], message: 'tuning needs a validation set, but data.splits.val is 0' });
    }
    if (config.postprocess.temperature === 'fit') {
      ctx.addIssue({ code: 'custom', path: ['postprocess', 'temperature'], message: 'fitting the temperature needs a validation set, but data.splits.val is 0 (give a number instead)' });
    }
  }
  if (data.unlabelled !== undefined && config.model.head === 'knn') {
    ctx.addIssue({ code: 'custom', path: ['data', 'unlabelled'], message: 'pseudo-labelling trains a head again with the images it labels; the knn head is not trained (choose softmax or mlp)' });
  }
  if (config.features.kind === 'onnx' && config.features.finetune) {
    if (config.model.head !== 'softmax' && config.model.head !== 'mlp') {
      ctx.addIssue({ code: 'custom', path: ['features', 'finetune'], message: `fine-tuning trains the backbone with the head: model.head must be softmax or mlp, not ${config.model.head}` });
    }
    if (data.unlabelled !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['data', 'unlabelled'], message: 'pseudo-labelling is not available with features.finetune (remove one of them)' });
    }
  }
  if (config.model.head === 'cnn') {
    if (config.features.kind !== 'pixels') {
      ctx.addIssue({ code: 'custom', path: ['features', 'kind'], message: `model.head cnn learns its own features from the pixels: features.kind must be pixels, not ${config.features.kind}` });
    }
    if (data.unlabelled !== undefined && !train.fixmatch) {
      ctx.addIssue({ code: 'custom', path: ['data', 'unlabelled'], message: 'model.head cnn learns from unlabelled images with train.fixmatch (add it, or remove data.unlabelled); pseudo-label rounds are for softmax and mlp heads' });
    }
  }
  if (train.fixmatch && (config.model.head !== 'cnn' || data.unlabelled === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['train', 'fixmatch'], message: config.model.head !== 'cnn' ? `FixMatch trains a network on the images' views: model.head must be cnn, not ${config.model.head}` : 'FixMatch needs unlabelled images: give data.unlabelled' });
  }
  if (train.pretrain && config.model.head !== 'cnn') {
    ctx.addIssue({ code: 'custom', path: ['train', 'pretrain'], message: `contrastive pre-training trains a network's embedder: model.head must be cnn, not ${config.model.head}` });
  }
  const classes = data.classes;
  if (classes !== undefined) {
    if (Array.isArray(train.classWeights) && train.classWeights.length !== classes.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['train', 'classWeights'],
        message: `expected one weight per class (${classes.length}), got ${train.classWeights.length}`,
      });
    }
    if (evaluate.positiveClass !== undefined && !classes.includes(evaluate.positiveClass)) {
      ctx.addIssue({
        code: 'custom',
        path: ['evaluate', 'positiveClass'],
        message: `expected one of ${listShort(classes)}, got ${quoteShort(evaluate.positiveClass)}`,
      });
    }
    const { decision } = config;
    if (decision.positiveClass !== undefined && !classes.includes(decision.positiveClass)) {
      ctx.addIssue({ code: 'custom', path: ['decision', 'positiveClass'], message: `expected one of ${listShort(classes)}, got ${quoteShort(decision.positiveClass)}` });
    }
    if (decision.positiveClass !== undefined && classes.length !== 2) {
      ctx.addIssue({ code: 'custom', path: ['decision', 'positiveClass'], message: `a positive class needs two classes, and data.classes has ${classes.length} (remove it: a class is then decided)` });
    }
    for (const label of Object.keys(decision.classes)) {
      if (!classes.includes(label)) ctx.addIssue({ code: 'custom', path: ['decision', 'classes', label], message: `expected one of ${listShort(classes)}, got ${quoteShort(label)}` });
    }
  }
  checkTuneAgainstPipeline(config, ctx);
}

/** Up to 20 class names for a message, then how many more: a 10,000-class list is not echoed whole. */
function listShort(classes: readonly string[]): string {
  const shown = classes.slice(0, 20).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c)).join('|');
  return classes.length > 20 ? `${shown}|… (${classes.length} classes)` : shown;
}
