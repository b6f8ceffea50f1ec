import { deviceImage, imageTensor, windowPresets, type DecodedInput, type DicomInputAttributes, type DicomInputDecoder, type DicomInputOptions, type InputWindow } from '@cvf/core';
import { decodeFrames } from '../dicom/decode-frames.js';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { deriveDisplayParams, type DisplayOptions, type DisplayParams } from '../display/display-params.js';
import { frameTensor } from '../display/frame-tensor.js';
import { toDisplay } from '../display/to-display.js';

/** `preprocess.window` → the display pipeline's options; `fromFile: false` is applied after (min–max). */
function displayOptions(window: InputWindow | undefined): DisplayOptions {
  if (!window) return {};
  const fn = { function: window.function };
  if (window.center !== undefined && window.width !== undefined) return { window: { center: window.center, width: window.width, ...fn } };
  if (window.preset !== undefined) return { window: { ...windowPresets[window.preset], ...fn } };
  return {};
}

function displayParams(file: DicomFile, window: InputWindow | undefined): DisplayParams {
  const params = deriveDisplayParams(file, displayOptions(window));
  const explicit = window !== undefined && (window.preset !== undefined || window.center !== undefined);
  // fromFile: false ignores the file's window and VOI LUT: the image's own range is displayed.
  if (window && !window.fromFile && !explicit && params.voi.kind !== 'min-max') return { ...params, voi: { kind: 'min-max' } };
  return params;
}

/**
 * A frame of a parsed DICOM file (default the first; 0-based) as the input preprocessing takes: grayscale through the
 * DICOM display pipeline — rescale or Modality LUT, the window of `preprocess.window` (a
 * center/width or a preset, else the file's window when `fromFile`, else min–max), MONOCHROME1
 * inverted — on the window-level kernel of `device`, where the result stays: a DeviceImage
 * [1, rows, columns] on 0..1. Colour images as their decoded RGB samples, a host ImageTensor
 * [rows, columns, 3] (u8, or u16 for 16-bit samples).
 */
export async function decodeDicomFile(file: DicomFile, { device, window }: DicomInputOptions, frame = 0): Promise<DecodedInput> {
  const decoded = await decodeFrames(file, { frames: [frame] });
  const { rows, columns } = decoded;
  const pixels = decoded.data[0]!;
  if (decoded.samplesPerPixel === 3) {
    const size = { height: rows, width: columns, channels: 3 as const };
    if (pixels instanceof Uint8Array) return imageTensor('u8', size, pixels);
    if (pixels instanceof Uint16Array) return imageTensor('u16', size, pixels);
    return imageTensor('f32', size, Float32Array.from(pixels));
  }
  const shown = await toDisplay(device, frameTensor(decoded, 0), displayParams(file, window));
  return deviceImage(shown.reshape([1, rows, columns]), 'unit');
}

/** The header fields a bundle's input contract is checked against (no pixels decoded). */
export function dicomContractAttributes(file: DicomFile): DicomInputAttributes {
  return {
    rows: file.number(Tag.Rows) ?? 0,
    columns: file.number(Tag.Columns) ?? 0,
    photometricInterpretation: (file.string(Tag.PhotometricInterpretation) ?? '').trim().toUpperCase(),
    modality: file.string(Tag.Modality)?.trim() || undefined,
    bodyPart: file.string(Tag.BodyPartExamined)?.trim().toUpperCase() || undefined,
    bitsStored: file.number(Tag.BitsStored),
  };
}

/**
 * The DICOM decoder `decodeInput` of @cvf/core takes (`dicom: dicomInputDecoder`): DICOM Part 10
 * bytes → parse → `decodeDicomFile`; `attributes` reads the header fields of the input contract.
 * Parse and decode errors are DicomErrors.
 */
export const dicomInputDecoder: DicomInputDecoder = {
  decode: (bytes, options) => decodeDicomFile(parseDicom(bytes), options),
  attributes: (bytes) => dicomContractAttributes(parseDicom(bytes)),
};
