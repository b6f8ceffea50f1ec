import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { AUGMENT_PLAN_FIELDS } from './augment-plan.js';

/** Everything per copy is in the plan table; the kernel has no attributes. */
export type AugmentImagesAttrs = Record<string, never>;

export interface AugmentDims {
  readonly images: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly copies: number;
}

export function augmentImagesDims(images: TensorSpec, plan: TensorSpec): AugmentDims {
  if (images.shape.length !== 4) throw new ShapeError(`kernel "augment-images": images ${formatShape(images.shape)} must be [n, C, H, W]`);
  if (plan.shape.length !== 2 || plan.shape[1] !== AUGMENT_PLAN_FIELDS) {
    throw new ShapeError(`kernel "augment-images": plan ${formatShape(plan.shape)} must be [copies, ${AUGMENT_PLAN_FIELDS}] (see augment-plan.ts)`);
  }
  const [n, channels, height, width] = images.shape as [number, number, number, number];
  return { images: n, channels, height, width, copies: plan.shape[0]! };
}

export function augmentImagesOutputs({ images, plan }: Specs<'images' | 'plan'>): Specs<'out'> {
  const { channels, height, width, copies } = augmentImagesDims(images, plan);
  return { out: { shape: [copies, channels, height, width], dtype: 'f32' } };
}
