import * as z from 'zod';
import { probability } from './common.js';

// Every augmentation is off by default (probability 0): augmentation is a modelling choice,
// and some are wrong for medical images (a horizontal flip swaps the patient's left and right).

const flipSchema = z
  .strictObject({
    horizontal: probability('probability of a left-right flip; beware of lateralised anatomy', 0),
    vertical: probability('probability of an up-down flip', 0),
  })
  .prefault({})
  .describe('random flips');

const rotateSchema = z
  .strictObject({
    degrees: z.number().min(0).max(180).default(0).describe('maximum rotation angle, drawn uniformly in [-degrees, degrees], about the image centre (bilinear; corners outside the image become 0)'),
    probability: probability('probability of rotating an image', 0),
  })
  .prefault({})
  .describe('random rotation');

// A fraction of the image size, as torchvision's RandomAffine(translate=(f, f)) and Keras'
// RandomTranslation: the same setting fits every preprocess.resize.
const translateSchema = z
  .strictObject({
    fraction: z.number().min(0).max(0.5).default(0).describe('maximum shift as a fraction of the image width (horizontally) and height (vertically); each is drawn uniformly in [-fraction·size, fraction·size] and rounded to whole pixels (applied after the rotation; the uncovered border becomes 0)'),
    probability: probability('probability of shifting an image', 0),
  })
  .prefault({})
  .describe('random translation');

const noiseSchema = z
  .strictObject({
    std: z.number().min(0).default(0).describe('standard deviation of additive Gaussian noise, in normalized units'),
    probability: probability('probability of adding noise to an image', 0),
  })
  .prefault({})
  .describe('additive Gaussian noise');

const mixupSchema = z
  .strictObject({
    alpha: z.number().positive().default(0.2).describe('Beta(alpha, alpha) parameter of the mixing weight λ'),
    probability: probability("probability that an image's copy is blended with another image of its chunk", 0),
  })
  .prefault({})
  .describe('mixup: blend two images (λ and 1 − λ) and train on both labels with those weights');

const cutmixSchema = z
  .strictObject({
    alpha: z.number().positive().default(1).describe('Beta(alpha, alpha) parameter λ; the pasted box covers about 1 − λ of the image'),
    probability: probability("probability that an image's copy gets a box pasted from another image of its chunk (drawn when mixup is not; keep mixup + cutmix ≤ 1)", 0),
  })
  .prefault({})
  .describe('cutmix: paste a box of one image into another, weighting the two labels by area');

export const augmentSchema = z
  .strictObject({
    flip: flipSchema,
    rotate: rotateSchema,
    translate: translateSchema,
    noise: noiseSchema,
    mixup: mixupSchema,
    cutmix: cutmixSchema,
  })
  .superRefine((augment, ctx) => {
    // One draw picks mixup, else cutmix: both probabilities hold only while they fit in one.
    const sum = augment.mixup.probability + augment.cutmix.probability;
    if (sum > 1 + 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['cutmix', 'probability'], message: `mixup + cutmix probabilities must be at most 1 (an image gets one mix at most), got ${augment.mixup.probability} + ${augment.cutmix.probability}` });
    }
  })
  .prefault({})
  .describe('training-time augmentation on the compute device, applied to training images before feature extraction (each image may add one augmented copy as extra training rows); all off by default');
