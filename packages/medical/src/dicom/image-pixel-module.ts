import { DicomError } from '@cvf/core';
import type { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** Photometric Interpretation (0028,0004) values CV Factory decodes. */
export const PHOTOMETRIC_INTERPRETATIONS = [
  'MONOCHROME1',
  'MONOCHROME2',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_PARTIAL_422',
  'YBR_PARTIAL_420',
  'YBR_ICT',
  'YBR_RCT',
  'PALETTE COLOR',
] as const;

/** The attributes of the Image Pixel module that say how Pixel Data is laid out (PS3.3 C.7.6.3). */
export interface ImagePixelModule {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string;
  /** 0: samples interleaved per pixel (R1G1B1R2…); 1: one plane per sample (R1R2…G1G2…B1B2…). */
  readonly planarConfiguration: 0 | 1;
  readonly numberOfFrames: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  readonly pixelRepresentation: 0 | 1;
  /** Which element holds the pixels: Pixel Data, Float Pixel Data or Double Float Pixel Data. */
  readonly pixelDataTag: string;
}

/**
 * Reads and checks the Image Pixel module. Throws DICOM_NO_PIXEL_DATA when the data set has no
 * pixels, DICOM_MALFORMED when a required attribute is missing or out of range (naming it).
 */
export function readImagePixelModule(dataSet: DicomDataSet): ImagePixelModule {
  const pixelDataTag = [Tag.PixelData, Tag.FloatPixelData, Tag.DoubleFloatPixelData].find((t) => dataSet.has(t));
  if (!pixelDataTag) {
    const sopClass = dataSet.string(Tag.SOPClassUID);
    throw new DicomError('DICOM_NO_PIXEL_DATA', `the data set has no Pixel Data (7FE0,0010)${sopClass ? ` (SOP Class ${sopClass})` : ''}: it is not an image`);
  }
  const isFloat = pixelDataTag !== Tag.PixelData;
  const required: [string, string][] = [
    ['Rows', Tag.Rows],
    ['Columns', Tag.Columns],
    ['SamplesPerPixel', Tag.SamplesPerPixel],
    ['PhotometricInterpretation', Tag.PhotometricInterpretation],
    ['BitsAllocated', Tag.BitsAllocated],
    ...(isFloat ? [] : ([['BitsStored', Tag.BitsStored], ['PixelRepresentation', Tag.PixelRepresentation]] as [string, string][])),
  ];
  const missing = required.filter(([, tag]) => !dataSet.has(tag) || (dataSet.number(tag) === undefined && dataSet.string(tag) === undefined)).map(([name]) => name);
  if (missing.length > 0) {
    throw new DicomError('DICOM_MALFORMED', `the pixels cannot be decoded: the Image Pixel module lacks ${missing.join(', ')}`);
  }
  const rows = dataSet.number(Tag.Rows)!;
  const columns = dataSet.number(Tag.Columns)!;
  const samplesPerPixel = dataSet.number(Tag.SamplesPerPixel)!;
  const photometricInterpretation = dataSet.string(Tag.PhotometricInterpretation)!.toUpperCase();
  const bitsAllocated = dataSet.number(Tag.BitsAllocated)!;
  const bitsStored = isFloat ? bitsAllocated : dataSet.number(Tag.BitsStored)!;
  const pixelRepresentation = isFloat ? 0 : dataSet.number(Tag.PixelRepresentation)!;
  const highBit = dataSet.number(Tag.HighBit) ?? bitsStored - 1;
  const planar = dataSet.number(Tag.PlanarConfiguration) ?? 0;
  const frames = dataSet.number(Tag.NumberOfFrames) ?? 1;

  const bad = (message: string) => new DicomError('DICOM_MALFORMED', `the pixels cannot be decoded: ${message}`);
  if (!(rows > 0) || !(columns > 0)) throw bad(`Rows ${rows} × Columns ${columns} must both be ≥ 1`);
  if (!(frames >= 1) || !Number.isInteger(frames)) throw bad(`Number of Frames ${frames} must be an integer ≥ 1`);
  if (!PHOTOMETRIC_INTERPRETATIONS.includes(photometricInterpretation as (typeof PHOTOMETRIC_INTERPRETATIONS)[number])) {
    throw bad(`Photometric Interpretation "${photometricInterpretation}" is not one of ${PHOTOMETRIC_INTERPRETATIONS.join(', ')}`);
  }
  const expectedSamples = photometricInterpretation.startsWith('MONOCHROME') || photometricInterpretation === 'PALETTE COLOR' ? 1 : 3;
  if (samplesPerPixel !== expectedSamples) {
    throw bad(`Samples per Pixel is ${samplesPerPixel}, but ${photometricInterpretation} has ${expectedSamples}`);
  }
  const validBits = isFloat ? (pixelDataTag === Tag.FloatPixelData ? [32] : [64]) : [1, 8, 16, 32];
  if (!validBits.includes(bitsAllocated)) throw bad(`Bits Allocated ${bitsAllocated} is not one of ${validBits.join(', ')}`);
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) throw bad(`Bits Stored ${bitsStored} must be between 1 and Bits Allocated (${bitsAllocated})`);
  if (!isFloat && !(highBit >= bitsStored - 1 && highBit < bitsAllocated)) {
    throw bad(`High Bit ${highBit} must lie between Bits Stored − 1 (${bitsStored - 1}) and Bits Allocated − 1 (${bitsAllocated - 1})`);
  }
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) throw bad(`Pixel Representation ${pixelRepresentation} must be 0 (unsigned) or 1 (signed)`);
  if (planar !== 0 && planar !== 1) throw bad(`Planar Configuration ${planar} must be 0 (interleaved) or 1 (planes)`);
  return {
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation,
    planarConfiguration: planar,
    numberOfFrames: frames,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    pixelDataTag,
  };
}
