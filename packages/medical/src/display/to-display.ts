import { DisplayParamsError, Tensor, windowLevel, type Device, type TypedArray, type WindowLevelAttrs } from '@cvf/core';
import type { DisplayParams } from './display-params.js';
import { applyLut, type Lut } from './lut.js';

/** The window-level attrs that map LUT outputs 0..2^bits − 1 linearly onto [0, 1]: LINEAR_EXACT gives x / (2^bits − 1). */
function lutOutputRange(lut: Lut, invert: boolean): WindowLevelAttrs {
  const max = 2 ** lut.bits - 1;
  return { center: max / 2, width: max, function: 'LINEAR_EXACT', invert };
}

/** Min–max as a window: LINEAR_EXACT with centre (min + max)/2 and width max − min maps min → 0 and max → 1. */
function minMaxWindow(values: ArrayLike<number>, slope: number, intercept: number, invert: boolean): WindowLevelAttrs {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return { center: 0, width: 1, function: 'LINEAR_EXACT', invert };
  const a = min * slope + intercept;
  const b = max * slope + intercept;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  // A flat frame has no range: any positive width puts every pixel at the centre, 0.5.
  return { center: (lo + hi) / 2, width: hi > lo ? hi - lo : 1, function: 'LINEAR_EXACT', slope: 1, intercept: 0, invert };
}

async function hostValues(device: Device, frame: Tensor): Promise<TypedArray> {
  return frame.location === 'cpu' ? frame.data : device.read(frame);
}

/** Applies the rescale or the Modality LUT on the CPU: LUT outputs are u16, rescaled values f32. */
function modalityValues(params: DisplayParams, stored: TypedArray): Float32Array | Uint16Array {
  const { modality } = params;
  if (modality.kind === 'lut') return applyLut(modality.lut, stored);
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = stored[i]! * modality.slope + modality.intercept;
  return out;
}

/**
 * Stored pixel values → display values in [0, 1] (f32, same shape, on `device`): the DICOM
 * grayscale pipeline of `params` (see deriveDisplayParams). The linear and sigmoid windows run in
 * the Device's `window-level` kernel — the same kernel the trainer's preprocessing uses — with the
 * rescale folded in. Table lookups (Modality LUT, VOI LUT) run on the CPU, and their outputs then go
 * through the same kernel (window, or the LUT's output range, with MONOCHROME1 inversion).
 */
export async function toDisplay(device: Device, frame: Tensor, params: DisplayParams): Promise<Tensor> {
  const { modality, voi, invert } = params;
  const run = async (x: Tensor, attrs: WindowLevelAttrs): Promise<Tensor> => (await device.run(windowLevel, { x }, attrs)).out;
  const window = voi.kind === 'window' ? { center: voi.center, width: voi.width, function: voi.function, invert } : undefined;

  if (modality.kind === 'rescale' && window) {
    return run(frame, { ...window, slope: modality.slope, intercept: modality.intercept });
  }
  const stored = await hostValues(device, frame);
  if (voi.kind === 'min-max' && modality.kind === 'rescale') {
    return run(frame, { ...minMaxWindow(stored, modality.slope, modality.intercept, invert), slope: modality.slope, intercept: modality.intercept });
  }
  const mapped = modalityValues(params, stored);
  const mappedTensor = (values: Float32Array | Uint16Array) => Tensor.fromArray(values, frame.shape);
  switch (voi.kind) {
    case 'window':
      return run(mappedTensor(mapped), window!);
    case 'min-max':
      return run(mappedTensor(mapped), minMaxWindow(mapped, 1, 0, invert));
    case 'lut':
      return run(mappedTensor(applyLut(voi.lut, mapped)), lutOutputRange(voi.lut, invert));
    default:
      throw new DisplayParamsError(`VOI transform "${(voi as { kind: string }).kind}" is not one of window, lut, min-max`);
  }
}
