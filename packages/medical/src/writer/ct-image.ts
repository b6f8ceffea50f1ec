import { DicomWriteError } from '@cvf/core';
import { textElement, type Dataset } from './data-element.js';
import { tag } from './dicom-tag.js';
import { createSecondaryCapture, type SecondaryCaptureOptions } from './secondary-capture.js';

/** CT Image Storage (PS3.4 B.5). */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export interface CtImageOptions extends Omit<SecondaryCaptureOptions, 'photometric' | 'frames' | 'bitsAllocated' | 'modality' | 'pixels' | 'rescale'> {
  /** Stored values (one slice, row-major); Hounsfield units = stored × slope + intercept. */
  readonly pixels: Int16Array | Uint16Array;
  readonly rescale: { readonly slope: number; readonly intercept: number };
  /** Row spacing, column spacing in mm. */
  readonly pixelSpacing: readonly [number, number];
  readonly sliceThickness: number;
  /** Image Position (Patient) of the first voxel, mm; axial slices (orientation 1,0,0 / 0,1,0). */
  readonly position: readonly [number, number, number];
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly bodyPart?: string;
  readonly kvp?: number;
  readonly convolutionKernel?: string;
}

const decimal = (value: number) => String(Number(value.toFixed(6)));

/**
 * An axial CT Image Storage data set: the Secondary Capture identity and pixel modules with the CT
 * SOP Class, Modality CT, the CT Image module (Image Type, KVP, Rescale Type HU) and the Image
 * Plane module (spacing, thickness, position, orientation, slice location), so readers place and
 * window it as a scanner's slice. Write it with `writeDicom`.
 */
export function createCtImage(options: CtImageOptions): Dataset {
  const { pixelSpacing, sliceThickness, position } = options;
  if (![...pixelSpacing, sliceThickness].every((v) => Number.isFinite(v) && v > 0)) {
    throw new DicomWriteError(`pixelSpacing ${pixelSpacing.join('\\')} and sliceThickness ${sliceThickness} must be positive millimetres`);
  }
  if (!position.every(Number.isFinite)) throw new DicomWriteError(`position ${position.join('\\')} must be three finite millimetre values`);
  const extra: Dataset = [
    textElement(tag(0x0008, 0x0008), 'CS', 'ORIGINAL', 'PRIMARY', 'AXIAL'),
    textElement(tag(0x0008, 0x0016), 'UI', CT_IMAGE_STORAGE),
    ...(options.seriesDescription === undefined ? [] : [textElement(tag(0x0008, 0x103e), 'LO', options.seriesDescription)]),
    ...(options.bodyPart === undefined ? [] : [textElement(tag(0x0018, 0x0015), 'CS', options.bodyPart)]),
    textElement(tag(0x0018, 0x0050), 'DS', decimal(sliceThickness)),
    textElement(tag(0x0018, 0x0060), 'DS', decimal(options.kvp ?? 120)),
    ...(options.convolutionKernel === undefined ? [] : [textElement(tag(0x0018, 0x1210), 'SH', options.convolutionKernel)]),
    textElement(tag(0x0020, 0x0011), 'IS', String(options.seriesNumber ?? 1)),
    textElement(tag(0x0020, 0x0032), 'DS', ...position.map(decimal)),
    textElement(tag(0x0020, 0x0037), 'DS', '1', '0', '0', '0', '1', '0'),
    textElement(tag(0x0020, 0x1041), 'DS', decimal(position[2])),
    textElement(tag(0x0028, 0x0030), 'DS', ...pixelSpacing.map(decimal)),
    textElement(tag(0x0028, 0x1054), 'LO', 'HU'),
    ...(options.extra ?? []),
  ];
  // Conversion Type (0008,0064) belongs to Secondary Capture only.
  return createSecondaryCapture({ ...options, modality: 'CT', photometric: 'MONOCHROME2', extra }).filter((e) => e.tag !== tag(0x0008, 0x0064));
}
