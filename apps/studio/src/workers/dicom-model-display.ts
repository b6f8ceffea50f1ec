import { windowPresets, type InputWindow } from '@cvf/core';
import { deriveDisplayParams, type DicomFile, type DisplayOptions, type DisplayParams } from '@cvf/medical';

/**
 * The display transform a model's `preprocess.window` gives a frame — what `decodeInput` with
 * @cvf/medical's DICOM decoder applies before the model, so the viewer infers on what `cvf predict`
 * infers on: the window's centre/width or preset, else the file's window when `fromFile`, else min–max.
 */
export function modelDisplayParams(file: DicomFile, window: InputWindow | null, frame: number): DisplayParams {
  const options: DisplayOptions = { frame, ...windowOptions(window) };
  const params = deriveDisplayParams(file, options);
  const explicit = window !== null && (window.preset !== undefined || window.center !== undefined);
  if (window && !window.fromFile && !explicit && params.voi.kind !== 'min-max') return { ...params, voi: { kind: 'min-max' } };
  return params;
}

function windowOptions(window: InputWindow | null): DisplayOptions {
  if (!window) return {};
  const fn = { function: window.function };
  if (window.center !== undefined && window.width !== undefined) return { window: { center: window.center, width: window.width, ...fn } };
  if (window.preset !== undefined) return { window: { ...windowPresets[window.preset], ...fn } };
  return {};
}
