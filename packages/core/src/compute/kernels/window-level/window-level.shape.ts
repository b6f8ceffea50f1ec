import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';

/** DICOM VOI LUT Function (0028,1056) values. */
export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export const VOI_LUT_FUNCTIONS: readonly VoiLutFunction[] = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'];

export interface WindowLevelAttrs {
  /** Window Center (0028,1050), in rescaled (e.g. Hounsfield) units. */
  readonly center: number;
  /** Window Width (0028,1051): ≥ 1 for LINEAR, > 0 for LINEAR_EXACT and SIGMOID. */
  readonly width: number;
  /** Rescale Slope (0028,1053) of the Modality LUT, applied to stored values first (default 1). */
  readonly slope?: number;
  /** Rescale Intercept (0028,1052) (default 0); CT stored as unsigned often has −1024. */
  readonly intercept?: number;
  /** VOI LUT Function (0028,1056), default LINEAR. */
  readonly function?: VoiLutFunction;
  /** MONOCHROME1 (0 is white): output 1 − y (default false). */
  readonly invert?: boolean;
}

function checkAttrs({ center, width, slope = 1, intercept = 0, function: fn = 'LINEAR', invert = false }: WindowLevelAttrs): void {
  const fail = (message: string) => new ShapeError(`kernel "window-level": ${message}`);
  if (!VOI_LUT_FUNCTIONS.includes(fn)) throw fail(`function "${fn}" is not one of ${VOI_LUT_FUNCTIONS.join(', ')}`);
  for (const [name, value] of [['center', center], ['width', width], ['slope', slope], ['intercept', intercept]] as const) {
    if (!Number.isFinite(value)) throw fail(`${name} ${value} must be a finite number`);
  }
  if (slope === 0) throw fail('slope 0 maps every pixel to the intercept; a Rescale Slope must be non-zero');
  if (fn === 'LINEAR' && !(width >= 1)) {
    throw fail(`width ${width} must be ≥ 1 for LINEAR (DICOM PS3.3 C.11.2.1.2.1); LINEAR_EXACT and SIGMOID accept any width > 0`);
  }
  if (!(width > 0)) throw fail(`width ${width} must be > 0 for ${fn}`);
  if (typeof invert !== 'boolean') throw fail(`invert ${String(invert)} must be true or false`);
}

export function windowLevelOutputs({ x }: Specs<'x'>, attrs: WindowLevelAttrs): Specs<'out'> {
  checkAttrs(attrs);
  return { out: { shape: x.shape, dtype: 'f32' } };
}
