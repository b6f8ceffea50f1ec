/**
 * The per-copy parameter table of `augment-images`: one row of AUGMENT_PLAN_FIELDS f32 values per
 * output copy. Integers (image indices, seeds, box corners) are stored exactly: f32 holds every
 * integer below 2²⁴, which is why noise seeds are 24-bit.
 */
export const AUGMENT_PLAN_FIELDS = 16;

/** Column of each parameter in a plan row. */
export const PLAN = {
  /** Index of the image the copy is made from; outside [0, n) reads zeros. */
  source: 0,
  /** 1: mirror left-right, 0: not. */
  flipH: 1,
  /** 1: mirror up-down, 0: not. */
  flipV: 2,
  /** cos θ and sin θ of the rotation (θ counter-clockwise as displayed); 1 and 0 for none. */
  cos: 3,
  sin: 4,
  /** Standard deviation of the additive Gaussian noise; 0 for none. */
  noiseStd: 5,
  /** Noise seed, an integer in [0, 2²⁴). */
  noiseSeed: 6,
  /** MIX_KIND: none, mixup or cutmix. */
  mixKind: 7,
  /** Index of the image mixed in. */
  partner: 8,
  /** Mixup: the share λ of the (transformed) source; the partner gets 1 − λ. */
  lambda: 9,
  /** Cutmix: the half-open pixel box [x0, x1) × [y0, y1) that shows the partner. */
  boxX0: 10,
  boxY0: 11,
  boxX1: 12,
  boxY1: 13,
  /** Translation in pixels (+x right, +y down) applied after the rotation; 0 for none. */
  shiftX: 14,
  shiftY: 15,
} as const;

export const MIX_KIND = { none: 0, mixup: 1, cutmix: 2 } as const;

/** The largest noise seed + 1 (seeds travel as exact f32 integers). */
export const NOISE_SEED_LIMIT = 2 ** 24;

/** One output copy, as the host describes it. Unset fields mean "not applied". */
export interface AugmentCopyParams {
  readonly source: number;
  readonly flipH?: boolean;
  readonly flipV?: boolean;
  /** Radians, counter-clockwise as displayed (y axis pointing down). */
  readonly angle?: number;
  /** Pixels [dx, dy] the rotated image moves (+x right, +y down); whole pixels keep it sharp. */
  readonly shift?: readonly [dx: number, dy: number];
  readonly noiseStd?: number;
  readonly noiseSeed?: number;
  readonly mix?:
    | { readonly kind: 'mixup'; readonly partner: number; readonly lambda: number }
    | { readonly kind: 'cutmix'; readonly partner: number; readonly box: readonly [x0: number, y0: number, x1: number, y1: number] };
}

/** Packs copies into the [copies, AUGMENT_PLAN_FIELDS] table the kernel reads. */
export function packAugmentPlan(copies: readonly AugmentCopyParams[]): Float32Array {
  const table = new Float32Array(copies.length * AUGMENT_PLAN_FIELDS);
  copies.forEach((copy, k) => {
    const row = table.subarray(k * AUGMENT_PLAN_FIELDS, (k + 1) * AUGMENT_PLAN_FIELDS);
    const angle = copy.angle ?? 0;
    row[PLAN.source] = copy.source;
    row[PLAN.flipH] = copy.flipH ? 1 : 0;
    row[PLAN.flipV] = copy.flipV ? 1 : 0;
    // No rotation is stored as exactly (1, 0), so an unrotated copy samples pixel centres exactly.
    row[PLAN.cos] = angle === 0 ? 1 : Math.cos(angle);
    row[PLAN.sin] = angle === 0 ? 0 : Math.sin(angle);
    row[PLAN.shiftX] = copy.shift?.[0] ?? 0;
    row[PLAN.shiftY] = copy.shift?.[1] ?? 0;
    row[PLAN.noiseStd] = copy.noiseStd ?? 0;
    row[PLAN.noiseSeed] = copy.noiseSeed ?? 0;
    const mix = copy.mix;
    row[PLAN.mixKind] = mix ? MIX_KIND[mix.kind] : MIX_KIND.none;
    row[PLAN.partner] = mix ? mix.partner : -1;
    row[PLAN.lambda] = mix?.kind === 'mixup' ? mix.lambda : 1;
    if (mix?.kind === 'cutmix') row.set(mix.box, PLAN.boxX0);
  });
  return table;
}
