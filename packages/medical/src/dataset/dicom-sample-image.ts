import { CpuDevice, disposeDecodedInput, readDecodedInput, type DecodedInput, type Device, type ImageTensor, type InputWindow } from '@cvf/core';
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
 * What a DICOM sample of a dataset loads (first frame): exactly what `decodeInput` gives for the
 * file (`decodeDicomFile`, the one decoder of training and serving) — a grayscale frame windowed on
 * `device` (default: the CPU) and left there as a unit-range device image, colour as its RGB
 * samples. Training preprocesses it where it is, as serving does: no read-back, no ×255.
 */
export function dicomSampleInput(file: DicomFile, { device, window }: DicomImageOptions = {}): Promise<DecodedInput> {
  return decodeDicomFile(file, { device: device ?? new CpuDevice(), ...(window && { window }) });
}

/**
 * `dicomSampleInput` read back as a host image, for callers that need pixels on the host (tests,
 * tools): grayscale as f32 [rows, columns, 1] on 0..255 (the window's 0..1 × 255, like an 8-bit
 * image), colour as its RGB samples.
 */
export async function dicomSampleImage(file: DicomFile, { device, window }: DicomImageOptions = {}): Promise<ImageTensor> {
  const on = device ?? new CpuDevice();
  const input = await dicomSampleInput(file, { device: on, ...(window && { window }) });
  try {
    return await readDecodedInput(on, input);
  } finally {
    disposeDecodedInput(input);
  }
}
