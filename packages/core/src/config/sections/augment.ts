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
    degrees: z.number().min(0).max(180).default(0).describe('maximum rotation angle, drawn uniformly in [-degrees, degrees]'),
    probability: probability('probability of rotating an image', 0),
  })
  .prefault({})
  .describe('random rotation');

const noiseSchema = z
  .strictObject({
    std: z.number().min(0).default(0).describe('standard deviation of additive Gaussian noise, in normalized units'),
    probability: probability('probability of adding noise to an image', 0),
  })
  .prefault({})
  .describe('additive Gaussian noise');

const mixupSchema = z
  .strictObject({
    alpha: z.number().positive().default(0.2).describe('Beta(alpha, alpha) parameter of the mixing weight'),
    probability: probability('probability of mixing a batch', 0),
  })
  .prefault({})
  .describe('mixup: blend two images and their labels');

const cutmixSchema = z
  .strictObject({
    alpha: z.number().positive().default(1).describe('Beta(alpha, alpha) parameter of the pasted area'),
    probability: probability('probability of cutmix on a batch', 0),
  })
  .prefault({})
  .describe('cutmix: paste a patch of one image into another, mixing labels by area');

export const augmentSchema = z
  .strictObject({
    flip: flipSchema,
    rotate: rotateSchema,
    noise: noiseSchema,
    mixup: mixupSchema,
    cutmix: cutmixSchema,
  })
  .prefault({})
  .describe('training-time augmentation, applied to images before feature extraction; all off by default');
