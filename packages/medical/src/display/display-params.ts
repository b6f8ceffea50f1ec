import { DisplayParamsError, type VoiLutFunction } from '@cvf/core';
import { DisplayTag, type DisplayTagSource } from './display-tag-source.js';
import { readLut, type Lut } from './lut.js';
import { windowPreset } from './presets.js';

/** VOI LUT Function (0028,1056) values the window-level kernel computes. */
export const VOI_LUT_FUNCTIONS: readonly VoiLutFunction[] = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'];

/** Stored value → modality value (e.g. Hounsfield units): a linear rescale or a Modality LUT. */
export type ModalityTransform =
  | { readonly kind: 'rescale'; readonly slope: number; readonly intercept: number }
  | { readonly kind: 'lut'; readonly lut: Lut };

/** Modality value → display value in [0, 1]. */
export type VoiTransform =
  | {
      readonly kind: 'window';
      readonly center: number;
      readonly width: number;
      readonly function: VoiLutFunction;
      /** Where the window came from: the caller, a named preset, or the data set (with its index). */
      readonly source: 'override' | 'preset' | 'dataset';
      readonly name?: string;
    }
  | { readonly kind: 'lut'; readonly lut: Lut }
  /** No window in the data set: the frame's own minimum and maximum map to 0 and 1. */
  | { readonly kind: 'min-max' };

export interface DisplayParams {
  readonly modality: ModalityTransform;
  readonly voi: VoiTransform;
  /** MONOCHROME1: the minimum is white, so the display value is 1 − y. */
  readonly invert: boolean;
  /** What was ignored on the way (a malformed VOI LUT, an unusable window), for logs and the viewer. */
  readonly warnings: readonly string[];
}

export interface DisplayOptions {
  /** A window to use whatever the data set says. */
  readonly window?: { readonly center: number; readonly width: number; readonly function?: VoiLutFunction };
  /** A named window preset of the data set's modality (see WINDOW_PRESETS), e.g. "lung" for CT. */
  readonly preset?: string;
  /** Which of several windows (Window Center/Width values) or VOI LUTs to take; default 0. */
  readonly voiIndex?: number;
  /** When the data set has both a VOI LUT Sequence and a window: which one (default 'lut', as pydicom). */
  readonly prefer?: 'lut' | 'window';
  /** For enhanced multi-frame images: the frame (0-based) whose functional groups apply; default 0. */
  readonly frame?: number;
}

/** Where an attribute of a frame is looked for: its per-frame functional group, the shared one, then the top level. */
function scopes(tags: DisplayTagSource, frame: number, groupSequence: string): DisplayTagSource[] {
  const found: DisplayTagSource[] = [];
  const perFrame = tags.sequence(DisplayTag.PerFrameFunctionalGroupsSequence)?.[frame]?.sequence(groupSequence)?.[0];
  const shared = tags.sequence(DisplayTag.SharedFunctionalGroupsSequence)?.[0]?.sequence(groupSequence)?.[0];
  if (perFrame) found.push(perFrame);
  if (shared) found.push(shared);
  found.push(tags);
  return found;
}

function firstWith(sources: DisplayTagSource[], tag: string): DisplayTagSource | undefined {
  return sources.find((s) => s.strings(tag).length > 0 || s.numbers(tag).length > 0 || (s.sequence(tag)?.length ?? 0) > 0);
}

function readModality(tags: DisplayTagSource, frame: number, signed: boolean, warnings: string[]): ModalityTransform {
  const lutItem = tags.sequence(DisplayTag.ModalityLUTSequence)?.[0];
  if (lutItem) return { kind: 'lut', lut: readLut(lutItem, 'Modality LUT Sequence (0028,3000)', signed) };
  const source = firstWith(scopes(tags, frame, DisplayTag.PixelValueTransformationSequence), DisplayTag.RescaleSlope) ?? tags;
  const slope = source.numbers(DisplayTag.RescaleSlope)[0] ?? 1;
  const intercept = source.numbers(DisplayTag.RescaleIntercept)[0] ?? 0;
  // A zero or non-finite slope (DS "1e400") would flatten the image; PS3.3 has no such value, so treat it as 1 (and the intercept as 0), and say so.
  const usable = { slope: Number.isFinite(slope) && slope !== 0 ? slope : 1, intercept: Number.isFinite(intercept) ? intercept : 0 };
  if (usable.slope !== slope || usable.intercept !== intercept) {
    warnings.push(`Rescale Slope ${slope} / Intercept ${intercept} is not a usable rescale; slope ${usable.slope}, intercept ${usable.intercept} used`);
  }
  return { kind: 'rescale', ...usable };
}

function voiFunction(source: DisplayTagSource, warnings: string[]): VoiLutFunction {
  const value = (source.strings(DisplayTag.VOILUTFunction)[0] ?? 'LINEAR').toUpperCase();
  if ((VOI_LUT_FUNCTIONS as readonly string[]).includes(value)) return value as VoiLutFunction;
  warnings.push(`VOI LUT Function "${value}" is not one of ${VOI_LUT_FUNCTIONS.join(', ')}; LINEAR used`);
  return 'LINEAR';
}

/** What the data set offers at `voiIndex`: a transform, nothing, or a count the index is past. */
type Offer = VoiTransform | { readonly kind: 'out-of-range'; readonly what: string } | undefined;

function datasetWindow(tags: DisplayTagSource, frame: number, index: number, warnings: string[]): Offer {
  const source = firstWith(scopes(tags, frame, DisplayTag.FrameVOILUTSequence), DisplayTag.WindowCenter);
  if (!source) return undefined;
  const centers = source.numbers(DisplayTag.WindowCenter);
  const widths = source.numbers(DisplayTag.WindowWidth);
  const count = Math.min(centers.length, widths.length);
  if (count === 0) return undefined;
  if (index >= count) return { kind: 'out-of-range', what: `${count} window${count === 1 ? '' : 's'} (Window Center/Width)` };
  const center = centers[index]!;
  const width = widths[index]!;
  const fn = voiFunction(source, warnings);
  if (!Number.isFinite(center) || !Number.isFinite(width) || (fn === 'LINEAR' ? width < 1 : width <= 0)) {
    warnings.push(`Window Center ${center} / Width ${width} (${fn}) is not a valid window; min–max used`);
    return undefined;
  }
  const name = source.strings(DisplayTag.WindowCenterWidthExplanation)[index];
  return { kind: 'window', center, width, function: fn, source: 'dataset', ...(name ? { name } : {}) };
}

function datasetVoiLut(tags: DisplayTagSource, index: number, signed: boolean, warnings: string[]): Offer {
  const items = tags.sequence(DisplayTag.VOILUTSequence);
  if (!items || items.length === 0) return undefined;
  if (index >= items.length) return { kind: 'out-of-range', what: `${items.length} VOI LUT${items.length === 1 ? '' : 's'} (VOI LUT Sequence)` };
  try {
    return { kind: 'lut', lut: readLut(items[index]!, `VOI LUT Sequence (0028,3010) item ${index}`, signed) };
  } catch (error) {
    warnings.push(`${(error as Error).message}; the VOI LUT is ignored`);
    return undefined;
  }
}

function checkWindow(center: number, width: number, fn: VoiLutFunction): void {
  if (!VOI_LUT_FUNCTIONS.includes(fn)) throw new DisplayParamsError(`window function "${fn}" is not one of ${VOI_LUT_FUNCTIONS.join(', ')}`);
  if (!Number.isFinite(center) || !Number.isFinite(width)) throw new DisplayParamsError(`window center ${center} and width ${width} must be finite numbers`);
  if (fn === 'LINEAR' ? width < 1 : width <= 0) {
    throw new DisplayParamsError(`window width ${width} must be ${fn === 'LINEAR' ? '≥ 1 for LINEAR' : `> 0 for ${fn}`} (DICOM PS3.3 C.11.2.1.2)`);
  }
}

/**
 * The display transform of a grayscale image from its data set: Modality LUT (Modality LUT
 * Sequence, else Rescale Slope/Intercept — from the frame's functional groups in enhanced
 * multi-frame images), then VOI (a caller's window, a named preset, the data set's VOI LUT or
 * window chosen by `voiIndex`, else min–max), inverted for MONOCHROME1. Pure: reads tags only.
 */
export function deriveDisplayParams(tags: DisplayTagSource, options: DisplayOptions = {}): DisplayParams {
  const { voiIndex = 0, prefer = 'lut', frame = 0 } = options;
  const warnings: string[] = [];
  const photometric = (tags.strings(DisplayTag.PhotometricInterpretation)[0] ?? 'MONOCHROME2').toUpperCase();
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    throw new DisplayParamsError(`Photometric Interpretation ${photometric} has no grayscale display pipeline; windowing applies to MONOCHROME1 and MONOCHROME2`);
  }
  const pixelSigned = tags.numbers(DisplayTag.PixelRepresentation)[0] === 1;
  const modality = readModality(tags, frame, pixelSigned, warnings);
  // The VOI LUT's input is the modality output: signed when stored values are, or a rescale makes negatives.
  const modalitySigned = modality.kind === 'rescale' && (pixelSigned || modality.intercept < 0 || modality.slope < 0);
  if (!Number.isInteger(voiIndex) || voiIndex < 0) throw new DisplayParamsError(`voiIndex ${voiIndex} must be an integer ≥ 0`);
  let voi: VoiTransform | undefined;
  if (options.window) {
    const { center, width, function: fn = 'LINEAR' } = options.window;
    checkWindow(center, width, fn);
    voi = { kind: 'window', center, width, function: fn, source: 'override' };
  } else if (options.preset) {
    const modalityName = tags.strings(DisplayTag.Modality)[0] ?? '';
    const { center, width } = windowPreset(modalityName, options.preset);
    voi = { kind: 'window', center, width, function: 'LINEAR', source: 'preset', name: options.preset.toLowerCase() };
  } else {
    const lut = datasetVoiLut(tags, voiIndex, modalitySigned, warnings);
    const window = datasetWindow(tags, frame, voiIndex, warnings);
    const offers = prefer === 'lut' ? [lut, window] : [window, lut];
    voi = offers.find((o): o is VoiTransform => o !== undefined && o.kind !== 'out-of-range');
    const missed = offers.filter((o) => o?.kind === 'out-of-range').map((o) => (o as { what: string }).what);
    if (!voi && missed.length > 0) throw new DisplayParamsError(`voiIndex ${voiIndex} is out of range: the data set has ${missed.join(' and ')}`);
  }
  return { modality, voi: voi ?? { kind: 'min-max' }, invert: photometric === 'MONOCHROME1', warnings };
}
