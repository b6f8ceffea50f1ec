import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { hash32 } from '../dropout/dropout-mask.js';
import { AUGMENT_PLAN_FIELDS, augmentImages, NOISE_SEED_LIMIT, packAugmentPlan, type AugmentCopyParams, type AugmentImagesAttrs } from './augment-images.js';
import { noiseNormal } from './gaussian-noise.js';

// A is the 3×3 image 1..9 (row-major), B a constant 10: every expected value below is worked by hand.
const A = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const B = new Array<number>(9).fill(10);
const ROTATED_90 = [3, 6, 9, 2, 5, 8, 1, 4, 7]; // A turned a quarter counter-clockwise: the right column becomes the top row
const CORNER_45 = 2 - Math.SQRT2; // a 45° corner sample lies 1 − (√2 − 1) inside the image: that share of 1, the rest reads 0

function inputs(images: readonly number[], shape: readonly number[], copies: readonly AugmentCopyParams[]): KernelCase<AugmentImagesAttrs>['inputs'] {
  return {
    images: { shape: [...shape], dtype: 'f32', data: images },
    plan: { shape: [copies.length, AUGMENT_PLAN_FIELDS], dtype: 'f32', data: packAugmentPlan(copies) },
  };
}

const one = (copies: readonly AugmentCopyParams[]) => inputs(A, [1, 1, 3, 3], copies);
const pair = (copies: readonly AugmentCopyParams[]) => inputs([...A, ...B], [2, 1, 3, 3], copies);
const noise = (seed: number, std: number, count: number) => Array.from({ length: count }, (_, i) => std * noiseNormal(hash32(seed), i));

/** Two images of two 2×3 channels: image m, channel c holds 20m + 10c + (1..6). */
const PLANES = Array.from({ length: 24 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6) + 1);

export const augmentImagesCases: KernelCases<AugmentImagesAttrs> = {
  kernel: augmentImages,
  cases: [
    { name: 'no operation copies the source exactly', inputs: one([{ source: 0 }]), attrs: {}, expected: { out: A } },
    { name: 'left-right flip', inputs: one([{ source: 0, flipH: true }]), attrs: {}, expected: { out: [3, 2, 1, 6, 5, 4, 9, 8, 7] } },
    { name: '90° rotation of a 3×3 image', inputs: one([{ source: 0, angle: Math.PI / 2 }]), attrs: {}, expected: { out: ROTATED_90 } },
    // Flip first, then rotate: the up-down mirror 7 8 9 / 4 5 6 / 1 2 3 turned a quarter.
    { name: 'up-down flip, then 90° rotation', inputs: one([{ source: 0, flipV: true, angle: Math.PI / 2 }]), attrs: {}, expected: { out: [9, 6, 3, 8, 5, 2, 7, 4, 1] } },
    {
      name: '45° rotation of a constant image: corners fade to 0 bilinearly, edges and centre stay inside',
      inputs: inputs(new Array<number>(9).fill(1), [1, 1, 3, 3], [{ source: 0, angle: Math.PI / 4 }]),
      attrs: {},
      expected: { out: [CORNER_45, 1, CORNER_45, 1, 1, 1, CORNER_45, 1, CORNER_45] },
    },
    // Translation moves the content; the uncovered strip reads 0, as a zero-padded random crop.
    { name: 'shift one pixel right', inputs: one([{ source: 0, shift: [1, 0] }]), attrs: {}, expected: { out: [0, 1, 2, 0, 4, 5, 0, 7, 8] } },
    { name: 'shift one pixel up', inputs: one([{ source: 0, shift: [0, -1] }]), attrs: {}, expected: { out: [4, 5, 6, 7, 8, 9, 0, 0, 0] } },
    { name: 'half-pixel shift right: bilinear between neighbours', inputs: one([{ source: 0, shift: [0.5, 0] }]), attrs: {}, expected: { out: [0.5, 1.5, 2.5, 2, 4.5, 5.5, 3.5, 7.5, 8.5] } },
    // Rotate about the centre first, then shift (torchvision's affine order).
    { name: '90° rotation, then shift one pixel right', inputs: one([{ source: 0, angle: Math.PI / 2, shift: [1, 0] }]), attrs: {}, expected: { out: [0, 3, 6, 0, 2, 5, 0, 1, 4] } },
    { name: 'left-right flip, then shift one pixel down', inputs: one([{ source: 0, flipH: true, shift: [0, 1] }]), attrs: {}, expected: { out: [0, 0, 0, 3, 2, 1, 6, 5, 4] } },
    {
      name: 'several images and channels: 180° rotation, a missing source (zeros), a flip',
      inputs: inputs(PLANES, [2, 2, 2, 3], [{ source: 1, angle: Math.PI }, { source: 5 }, { source: 0, flipH: true }]),
      attrs: {},
      expected: {
        out: [
          ...[26, 25, 24, 23, 22, 21, 36, 35, 34, 33, 32, 31],
          ...new Array<number>(12).fill(0),
          ...[3, 2, 1, 6, 5, 4, 13, 12, 11, 16, 15, 14],
        ],
      },
    },
    { name: 'mixup λ = ¼: ¼·A + ¾·B', inputs: pair([{ source: 0, mix: { kind: 'mixup', partner: 1, lambda: 0.25 } }]), attrs: {}, expected: { out: A.map((v) => 0.25 * v + 7.5) } },
    {
      name: 'cutmix box x ∈ [1, 3), y ∈ [0, 2) shows the partner',
      inputs: pair([{ source: 0, mix: { kind: 'cutmix', partner: 1, box: [1, 0, 3, 2] } }]),
      attrs: {},
      expected: { out: [1, 10, 10, 4, 10, 10, 7, 8, 9] },
    },
    {
      name: 'left-right flip, then cutmix (the box is in output pixels)',
      inputs: pair([{ source: 0, flipH: true, mix: { kind: 'cutmix', partner: 1, box: [1, 0, 3, 2] } }]),
      attrs: {},
      expected: { out: [3, 10, 10, 6, 10, 10, 9, 8, 7] },
    },
    {
      name: '90° rotation, then mixup λ = ½ with B (B is not rotated)',
      inputs: pair([{ source: 0, angle: Math.PI / 2, mix: { kind: 'mixup', partner: 1, lambda: 0.5 } }]),
      attrs: {},
      expected: { out: ROTATED_90.map((v) => 0.5 * v + 5) },
    },
    {
      // The values are the shared counter-based draws (gaussian-noise.ts): this checks std, seed and indexing.
      name: 'noise std ½ on zeros: ½·N(seed 12345, element index), per channel',
      inputs: inputs(new Array<number>(8).fill(0), [1, 2, 2, 2], [{ source: 0, noiseStd: 0.5, noiseSeed: 12345 }]),
      attrs: {},
      expected: { out: noise(12345, 0.5, 8) },
    },
    {
      name: 'flip, cutmix and noise together: noise is added last, over the pasted box too',
      inputs: pair([{ source: 0, flipH: true, noiseStd: 2, noiseSeed: 7, mix: { kind: 'cutmix', partner: 1, box: [1, 0, 3, 2] } }]),
      attrs: {},
      expected: { out: [3, 10, 10, 6, 10, 10, 9, 8, 7].map((v, i) => v + noise(7, 2, 9)[i]!) },
    },
  ],
  random: (rng) => {
    const sizes: [number, number, number, number][] = [
      [rng.int(1, 4), rng.int(1, 3), rng.int(1, 48), rng.int(1, 48)],
      [rng.int(1, 3), 3, rng.int(60, 100), rng.int(60, 100)], // more than 2¹⁶ invocations per launch
    ];
    return sizes.map((shape) => {
      const [n, , height, width] = shape;
      const copies = Array.from({ length: rng.int(1, 8) }, () => randomCopy(rng, n, height, width));
      return { name: `random [${shape.join(', ')}], ${copies.length} copies`, inputs: inputs(Array.from(rng.floats(shape.reduce((a, b) => a * b, 1), -3, 3)), shape, copies), attrs: {} };
    });
  },
};

function randomCopy(rng: Rng, n: number, height: number, width: number): AugmentCopyParams {
  const kind = rng.pick(['none', 'mixup', 'cutmix'] as const);
  const x0 = rng.int(0, width);
  const y0 = rng.int(0, height);
  return {
    source: rng.int(0, n - 1),
    flipH: rng.next() < 0.5,
    flipV: rng.next() < 0.5,
    angle: rng.next() < 0.7 ? rng.uniform(-Math.PI, Math.PI) : 0,
    ...(rng.next() < 0.5 ? { shift: [rng.uniform(-width / 4, width / 4), rng.int(-Math.floor(height / 4), Math.floor(height / 4))] as const } : {}),
    ...(rng.next() < 0.5 ? { noiseStd: rng.uniform(0, 1), noiseSeed: rng.int(0, NOISE_SEED_LIMIT - 1) } : {}),
    ...(kind === 'mixup' ? { mix: { kind, partner: rng.int(0, n - 1), lambda: rng.next() } } : {}),
    ...(kind === 'cutmix' ? { mix: { kind, partner: rng.int(0, n - 1), box: [x0, y0, rng.int(x0, width), rng.int(y0, height)] as const } } : {}),
  };
}
