import { CpuDevice, disposeDecodedInput, readDecodedInput, type Device, type ImageTensor, type InputWindow } from '@cvf/core';
import type { DicomFile } from '../dicom/dicom-file.js';
import { decodeDicomFile } from './dicom-input-decoder.js';

/** The pipeline config's `preprocess.window`. */
export type WindowConfig = InputWindow;

export interface DicomImageOptions {
  /** Where windowing runs (the window-level kernel); default: the CPU. */
  readonly device?: Device;
  /** The window of `preprocess.window`; default: the file's window, else min–max. */
  readonly window?: WindowConfig;
}

/**
 * The image a DICOM sample of a dataset gives (first frame): what `decodeInput` gives for the same
 * file (`decodeDicomFile`, the one decoder of training and serving), as a host image because a
 * sample's `load` returns one — grayscale as f32 [rows, columns, 1] on 0..255 (the window's 0..1
 * × 255, like an 8-bit image), colour as its RGB samples. Preprocessing these gives the model
 * input that preprocessing `decodeInput`'s result gives, within f32 rounding (the scale 1/255
 * undoes the ×255).
 */
export async function dicomSampleImage(file: DicomFile, { device, window }: DicomImageOptions = {}): Promise<ImageTensor> {
  const on = device ?? new CpuDevice();
  const input = await decodeDicomFile(file, { device: on, ...(window && { window }) });
  try {
    return await readDecodedInput(on, input);
  } finally {
    disposeDecodedInput(input);
  }
}
