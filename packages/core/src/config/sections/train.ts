import * as z from 'zod';
import { MAX_CLASSES } from '../limits.js';
import { augmentSchema } from './augment.js';
import { metricModeField, trackedMetric, withMetricMode } from './common.js';

const beta = z.number().min(0).lt(1);

const optimizerSchema = z
  .strictObject({
    kind: z.enum(['sgd', 'adam', 'adamw']).default('adamw').describe('optimizer'),
    lr: z.number().positive().default(1e-3).describe('peak learning rate'),
    momentum: z.number().min(0).lt(1).default(0.9).describe('sgd only: momentum'),
    weightDecay: z.number().min(0).default(1e-4).describe('L2 penalty (sgd, adam) or decoupled weight decay (adamw)'),
    betas: z.tuple([beta, beta]).default([0.9, 0.999]).describe('adam/adamw only: moment decay rates [beta1, beta2]'),
  })
  .prefault({})
  .describe('optimizer and its hyperparameters');

const scheduleSchema = z
  .strictObject({
    kind: z.enum(['constant', 'cosine', 'step']).default('cosine').describe('learning-rate schedule after warm-up'),
    warmupEpochs: z.int().min(0).default(0).describe('epochs of linear warm-up from 0 to lr'),
    stepSize: z.int().positive().default(10).describe('step only: epochs between decays'),
    gamma: z.number().positive().max(1).default(0.1).describe('step only: decay factor'),
  })
  .prefault({})
  .describe('learning-rate schedule');

const earlyStoppingSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('stop when the validation metric stops improving (needs data.splits.val > 0)'),
    metric: trackedMetric.default('loss'),
    mode: metricModeField,
    patience: z.int().positive().default(5).describe('epochs without improvement before stopping'),
    minDelta: z.number().min(0).default(0).describe('smallest change that counts as an improvement'),
  })
  .transform(withMetricMode)
  .prefault({})
  .describe('early stopping; the best checkpoint is kept');

const pseudoLabelSchema = z
  .strictObject({
    threshold: z.number().gt(0).max(1).default(0.95).describe('an unlabelled image is labelled when the head gives its top class at least this probability'),
    maxPerClass: z.int().positive().optional().describe('keep at most this many pseudo-labelled images per class, the most confident first; default: no limit'),
    rounds: z.int().min(1).max(10).default(1).describe('label-and-retrain rounds; each round labels the pool afresh with the head of the round before'),
  })
  .prefault({})
  .describe('pseudo-labelling of data.unlabelled (used only when data.unlabelled is given)');

// Views of one image for contrastive and consistency training: flips, rotation and noise (a mix
// of two images is not a view of one, so mixup and cutmix must stay 0).
const viewsSchema = (defaults: { flip?: object; rotate?: object; noise?: object }, description: string) =>
  augmentSchema
    .prefault(defaults)
    .superRefine((views, ctx) => {
      for (const mix of ['mixup', 'cutmix'] as const) {
        if (views[mix].probability > 0) ctx.addIssue({ code: 'custom', path: [mix, 'probability'], message: `a view is of one image: ${mix} must be 0 here, got ${views[mix].probability}` });
      }
    })
    .describe(description);

const pretrainSchema = z
  .strictObject({
    method: z.enum(['simclr', 'supcon']).default('simclr').describe("simclr: an image's two views are each other's positive (labels unused); supcon: every view of the same class is a positive (supervised-contrastive)"),
    epochs: z.int().positive().default(10).describe('passes over the training images'),
    batch: z.int().min(2).default(128).describe('images per step (two views each; the other images are the negatives)'),
    temperature: z.number().positive().max(10).default(0.2).describe("NT-Xent's temperature τ"),
    lr: z.number().positive().default(1e-3).describe("learning rate (train.optimizer's kind, betas and weight decay)"),
    projectionDim: z.int().min(0).max(4096).default(64).describe('output width of the projection MLP the loss sees (dropped after pre-training); 0: no MLP, the loss sees the batch-normalised embedding'),
    views: viewsSchema({ flip: { horizontal: 0.5 }, rotate: { degrees: 20, probability: 0.8 }, noise: { std: 0.4, probability: 0.8 } }, 'augmentation of each of the two views (augment keys; default: flip 0.5, rotation ±20° at 0.8, noise std 0.4 at 0.8)'),
  })
  .optional()
  .describe("contrastive pre-training of model.cnn's embedder on the Device (NT-Xent) before the supervised training starts from it; default: none, the network starts from its seeded initialisation");

const fixmatchSchema = z
  .strictObject({
    threshold: z.number().gt(0).max(1).default(0.95).describe('τ: an unlabelled image trains on its weak view\'s top class only when that class has at least this probability'),
    weight: z.number().min(0).default(1).describe('λ: weight of the unlabelled loss beside the labelled cross-entropy'),
    ratio: z.int().positive().max(16).default(3).describe('μ: unlabelled images per labelled image in a step'),
    weak: viewsSchema({ flip: { horizontal: 0.5 } }, 'augmentation of the weak view that gives the pseudo-label (default: flip 0.5)'),
    strong: viewsSchema(
      { flip: { horizontal: 0.5 }, rotate: { degrees: 30, probability: 1 }, noise: { std: 0.5, probability: 1 } },
      'augmentation of the strong view that learns it (default: flip 0.5, rotation ±30°, noise std 0.5)',
    ),
  })
  .optional()
  .describe('FixMatch semi-supervised training of model.head cnn with data.unlabelled (instead of pseudo-label rounds): the weak view labels, the strong view learns; default: none (model.head cnn then refuses data.unlabelled)');

export const trainSchema = z
  .strictObject({
    epochs: z.int().positive().default(20).describe('maximum number of passes over the train split'),
    batchSize: z.int().positive().default(64).describe('examples per optimizer step'),
    optimizer: optimizerSchema,
    schedule: scheduleSchema,
    labelSmoothing: z.number().min(0).lt(1).default(0).describe('label smoothing of the cross-entropy targets'),
    classWeights: z
      .union([z.enum(['none', 'balanced']), z.array(z.number().positive()).min(2).max(MAX_CLASSES)])
      .default('none')
      .describe('loss weight per class: none, balanced (inverse class frequency, for rare findings), or one weight per class in label order'),
    gradientClip: z.number().min(0).default(0).describe('clip the global gradient norm to this value; 0 disables clipping'),
    earlyStopping: earlyStoppingSchema,
    seed: z.int().default(42).describe('seed of weight initialisation, shuffling and augmentation'),
    checkpointEveryEpoch: z.boolean().default(false).describe('also keep the checkpoint of every epoch as its own artifact (<checkpoint>.epoch-N.ckpt), not only the latest'),
    pseudoLabel: pseudoLabelSchema,
    pretrain: pretrainSchema,
    fixmatch: fixmatchSchema,
  })
  .prefault({})
  .describe('training of the head (ignored by the knn head)');
