import { decodeFrames, type DecodeFramesOptions } from './decode-frames.js';
import type { DicomFile } from './dicom-file.js';
import { readModality, readRescale, readWindow } from './image-metadata.js';
import { readImagePixelModule } from './image-pixel-module.js';
import { pixelStatistics } from './pixel-statistics.js';

/** What `cvf dicom inspect` prints: the image's geometry and encoding, as the file states them, and its pixel range. */
export interface DicomInspectReport {
  transferSyntaxUID: string;
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
  modality: string | null;
  rescale: { slope: number; intercept: number };
  window: { center: number; width: number } | null;
  /** Over every decoded stored value of every frame, before rescale; colour after conversion to RGB. */
  pixel: { min: number; max: number; mean: number };
}

/** Decodes every frame of `file` (at most `maxSamples`) and reports it. Throws what parseDicom/decodeFrames throw. */
export async function inspectDicom(file: DicomFile, options: Pick<DecodeFramesOptions, 'maxSamples'> = {}): Promise<DicomInspectReport> {
  const pixel = readImagePixelModule(file);
  const image = await decodeFrames(file, options);
  return {
    transferSyntaxUID: file.transferSyntaxUID,
    rows: pixel.rows,
    columns: pixel.columns,
    frames: pixel.numberOfFrames,
    samplesPerPixel: pixel.samplesPerPixel,
    bitsAllocated: pixel.bitsAllocated,
    bitsStored: pixel.bitsStored,
    pixelRepresentation: pixel.pixelRepresentation,
    photometricInterpretation: pixel.photometricInterpretation,
    modality: readModality(file) ?? null,
    rescale: readRescale(file),
    window: readWindow(file) ?? null,
    pixel: pixelStatistics(image),
  };
}
