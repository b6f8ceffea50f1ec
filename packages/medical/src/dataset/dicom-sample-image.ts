import { CpuDevice, imageTensor, windowPresets, type Device, type ImageTensor, type PreprocessConfig } from '@cvf/core';
import { decodeFrames } from '../dicom/decode-frames.js';
import type { DicomFile } from '../dicom/dicom-file.js';
import { deriveDisplayParams, type DisplayOptions, type DisplayParams } from '../display/display-params.js';
import { frameTensor } from '../display/frame-tensor.js';
import { toDisplay } from '../display/to-display.js';

/** The pipeline config's `preprocess.window`. */
export type WindowConfig = PreprocessConfig['window'];

export interface DicomImageOptions {
  /** Where windowing runs (the window-level kernel); default: the CPU. */
  readonly device?: Device;
  /** The window of `preprocess.window`; default: the file's window, else min–max. */
  readonly window?: WindowConfig;
}

/** `preprocess.window` → the display pipeline's options; `fromFile: false` is applied after (min–max). */
function displayOptions(window: WindowConfig | undefined): DisplayOptions {
  if (!window) return {};
  const fn = { function: window.function };
  if (window.center !== undefined && window.width !== undefined) return { window: { center: window.center, width: window.width, ...fn } };
  if (window.preset !== undefined) return { window: { ...windowPresets[window.preset], ...fn } };
  return {};
}

function displayParams(file: DicomFile, window: WindowConfig | undefined): DisplayParams {
  const params = deriveDisplayParams(file, displayOptions(window));
  const explicit = window !== undefined && (window.preset !== undefined || window.center !== undefined);
  // fromFile: false ignores the file's window and VOI LUT: the image's own range is displayed.
  if (window && !window.fromFile && !explicit && params.voi.kind !== 'min-max') return { ...params, voi: { kind: 'min-max' } };
  return params;
}

/**
 * The image a DICOM sample gives to preprocessing (first frame): grayscale images through the DICOM
 * display pipeline — rescale or Modality LUT, the window of `preprocess.window` (a center/width or
 * a preset, else the file's window when `fromFile`, else min–max), MONOCHROME1 inverted — to
 * 0..255 as f32 [rows, columns, 1], like an 8-bit image; colour images as their decoded RGB
 * [rows, columns, 3] (u8, or u16 for 16-bit samples). So DICOM and ordinary images reach
 * `preprocessImage` alike.
 */
export async function dicomSampleImage(file: DicomFile, { device, window }: DicomImageOptions = {}): Promise<ImageTensor> {
  const decoded = await decodeFrames(file, { frames: [0] });
  const { rows, columns } = decoded;
  const pixels = decoded.data[0]!;
  if (decoded.samplesPerPixel === 3) {
    const size = { height: rows, width: columns, channels: 3 as const };
    if (pixels instanceof Uint8Array) return imageTensor('u8', size, pixels);
    if (pixels instanceof Uint16Array) return imageTensor('u16', size, pixels);
    return imageTensor('f32', size, Float32Array.from(pixels));
  }
  const on = device ?? new CpuDevice();
  const shown = await toDisplay(on, frameTensor(decoded, 0), displayParams(file, window));
  const unit = (await on.read(shown)) as Float32Array;
  if (shown.location === 'gpu') shown.dispose();
  const out = new Float32Array(unit.length);
  for (let i = 0; i < unit.length; i++) out[i] = unit[i]! * 255;
  return imageTensor('f32', { height: rows, width: columns, channels: 1 }, out);
}
