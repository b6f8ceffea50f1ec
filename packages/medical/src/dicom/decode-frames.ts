import { DicomError } from '@cvf/core';
import type { CodecFrame, CodecSamples } from './codecs/codec-frame.js';
import type { DecodedImage, PixelArray } from './decoded-image.js';

export type { DecodedImage, PixelArray } from './decoded-image.js';
import type { DicomDataSet } from './dicom-dataset.js';
import type { DicomFile } from './dicom-file.js';
import { EncapsulatedFrames } from './encapsulated-frames.js';
import { pixelDecoderFor } from './frame-decoders.js';
import { readImagePixelModule, type ImagePixelModule } from './image-pixel-module.js';
import { checkNativeLength, readNativeFrame } from './native-frames.js';
import { applyPaletteColorLut, readPaletteColorLut } from './palette-color.js';
import { ybrToRgb } from './photometric.js';
import { Tag } from './tags.js';

export interface DecodeFramesOptions {
  /** 0-based indices of the frames to decode, in the order wanted; default every frame. */
  readonly frames?: readonly number[];
  /**
   * The most samples (Rows × Columns × Samples per Pixel × Number of Frames) the header may
   * declare; checked before anything is decoded. Default DEFAULT_MAX_SAMPLES.
   */
  readonly maxSamples?: number;
}

/** 2^31 samples: 2 GiB of 8-bit or 4 GiB of 16-bit pixels, more than any one image CV Factory takes. */
export const DEFAULT_MAX_SAMPLES = 2 ** 31;

/**
 * Decodes frames of a parsed file to stored values: masked to Bits Stored and sign-extended when
 * signed, colour converted to interleaved RGB (YBR_*, PALETTE COLOR), MONOCHROME1 left as stored.
 * Codecs are loaded on first use.
 *
 * Throws DicomError: DICOM_NO_PIXEL_DATA, DICOM_UNSUPPORTED_TRANSFER_SYNTAX (naming the UID),
 * DICOM_MALFORMED (inconsistent Image Pixel module, bad fragments), DICOM_TRUNCATED (too few
 * bytes), DICOM_DECODE_FAILED (the codec rejected the frame or its size disagrees),
 * DICOM_FRAME_OUT_OF_RANGE (a requested index the image does not have), DICOM_TOO_LARGE (the
 * header declares more than `maxSamples` samples).
 */
export async function decodeFrames(file: DicomFile, options: DecodeFramesOptions = {}): Promise<DecodedImage> {
  const pixel = readImagePixelModule(file);
  checkSampleCount(pixel, options.maxSamples ?? DEFAULT_MAX_SAMPLES);
  const indices = frameIndices(options.frames, pixel.numberOfFrames);
  const decoder = pixelDecoderFor(file.transferSyntaxUID);
  const element = file.element(pixel.pixelDataTag)!;

  const frames: CodecFrame[] = [];
  if (decoder.kind === 'native') {
    if (element.encapsulated) throw new DicomError('DICOM_MALFORMED', `Pixel Data is encapsulated, but transfer syntax ${file.transferSyntaxUID} stores native pixels`);
    const bytes = file.bytes(pixel.pixelDataTag)!;
    checkNativeLength(bytes, pixel);
    for (const i of indices) frames.push(readNativeFrame(bytes, i, pixel, decoder.littleEndian, element.vr));
  } else {
    if (!element.undefinedLength) {
      throw new DicomError('DICOM_MALFORMED', `transfer syntax ${file.transferSyntaxUID} needs encapsulated Pixel Data (undefined length, in fragments), but Pixel Data has a defined length of ${element.length} bytes`);
    }
    const encapsulated = new EncapsulatedFrames(file, pixel.numberOfFrames);
    for (const i of indices) {
      const codestream = encapsulated.frame(i);
      if (decoder.kind === 'encapsulated-native') frames.push(readNativeFrame(codestream, 0, { ...pixel, numberOfFrames: 1 }, true, 'OB'));
      else frames.push(checkSize(await decoder.codec.decode(codestream, pixel), pixel, decoder.codec.name, i));
    }
  }
  return toDecodedImage(file, pixel, indices, frames);
}

function checkSampleCount(pixel: ImagePixelModule, maxSamples: number): void {
  const samples = pixel.rows * pixel.columns * pixel.samplesPerPixel * pixel.numberOfFrames;
  if (samples > maxSamples) {
    throw new DicomError(
      'DICOM_TOO_LARGE',
      `the image declares ${samples} samples (${pixel.columns}×${pixel.rows}, ${pixel.samplesPerPixel} sample(s) per pixel, ${pixel.numberOfFrames} frame(s)), more than the limit of ${maxSamples}`,
    );
  }
}

function frameIndices(requested: readonly number[] | undefined, count: number): number[] {
  if (requested === undefined) return Array.from({ length: count }, (_, i) => i);
  for (const i of requested) {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new DicomError('DICOM_FRAME_OUT_OF_RANGE', `frame index ${i} is out of range: the image has ${count} frame(s), indices 0..${count - 1}`);
    }
  }
  return [...requested];
}

function checkSize(frame: CodecFrame, pixel: ImagePixelModule, codec: string, index: number): CodecFrame {
  if (frame.rows !== pixel.rows || frame.columns !== pixel.columns || frame.components !== pixel.samplesPerPixel) {
    throw new DicomError(
      'DICOM_DECODE_FAILED',
      `${codec}: frame ${index + 1} decodes to ${frame.columns}×${frame.rows} with ${frame.components} component(s), but the data set says ${pixel.columns}×${pixel.rows} with ${pixel.samplesPerPixel}`,
    );
  }
  // Every codec's output is held to the count the header promises (as native data is): fewer samples are missing pixels.
  const expected = pixel.rows * pixel.columns * pixel.samplesPerPixel;
  if (frame.samples.length < expected) {
    throw new DicomError('DICOM_TRUNCATED', `${codec}: frame ${index + 1} decodes to ${frame.samples.length} samples, but ${pixel.columns}×${pixel.rows} with ${pixel.samplesPerPixel} sample(s) needs ${expected}`);
  }
  if (frame.bitsPerSample > Math.max(pixel.bitsAllocated, 8)) {
    throw new DicomError('DICOM_DECODE_FAILED', `${codec}: frame ${index + 1} has ${frame.bitsPerSample}-bit samples, more than Bits Allocated (${pixel.bitsAllocated})`);
  }
  return frame;
}

function toDecodedImage(dataSet: DicomDataSet & { transferSyntaxUID: string }, pixel: ImagePixelModule, indices: number[], frames: CodecFrame[]): DecodedImage {
  const pi = pixel.photometricInterpretation;
  const isFloat = pixel.pixelDataTag !== Tag.PixelData;
  // A codestream that declares signed samples wins over Pixel Representation (as pydicom and GDCM do for JPEG 2000).
  const signed = pixel.pixelRepresentation === 1 || frames.some((f) => f.signed);
  const outBits = pixel.bitsAllocated === 1 ? 8 : pixel.bitsAllocated;
  // A codestream may declare more significant bits than Bits Stored claims; never cut what it holds.
  const bitsStored = frames.reduce((bits, f) => Math.max(bits, Math.min(f.bitsPerSample, outBits)), pixel.bitsStored);

  let data: PixelArray[] = frames.map((f) => (isFloat ? (f.samples as PixelArray) : storedValues(f.samples, outBits, bitsStored, signed)));
  let photometricInterpretation = pi;
  let samplesPerPixel = pixel.samplesPerPixel;
  let bitsAllocated = outBits;
  let outBitsStored = bitsStored;
  let pixelRepresentation: 0 | 1 = signed ? 1 : 0;

  if (pi === 'PALETTE COLOR') {
    const lut = readPaletteColorLut(dataSet, pixel.pixelRepresentation);
    data = data.map((indicesOfFrame) => applyPaletteColorLut(indicesOfFrame, lut));
    photometricInterpretation = 'RGB';
    samplesPerPixel = 3;
    bitsAllocated = lut.bits;
    outBitsStored = Math.min(lut.descriptorBits, lut.bits);
    pixelRepresentation = 0;
  } else if (pixel.samplesPerPixel === 3) {
    const range = pi === 'YBR_FULL' || pi === 'YBR_FULL_422' ? 'full' : pi.startsWith('YBR_PARTIAL') ? 'partial' : undefined;
    data = data.map((samples, k) => (range && !frames[k]!.colorConverted ? (ybrToRgb(samples as CodecSamples, bitsStored, range) as PixelArray) : samples));
    photometricInterpretation = 'RGB';
  }
  return {
    transferSyntaxUID: dataSet.transferSyntaxUID,
    rows: pixel.rows,
    columns: pixel.columns,
    frames: data.length,
    numberOfFrames: pixel.numberOfFrames,
    frameIndices: indices,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: outBitsStored,
    pixelRepresentation,
    photometricInterpretation,
    storedPhotometricInterpretation: pi,
    data,
  };
}

const SIGNED = { 8: Int8Array, 16: Int16Array, 32: Int32Array } as const;
const UNSIGNED = { 8: Uint8Array, 16: Uint16Array, 32: Uint32Array } as const;

/**
 * Samples as stored values in the output type: masked to `bitsStored` bits, sign-extended from
 * bit `bitsStored - 1` when signed. Without bits to clear this only reinterprets (no copy).
 */
function storedValues(samples: CodecSamples, bits: number, bitsStored: number, signed: boolean): PixelArray {
  const Out = (signed ? SIGNED : UNSIGNED)[bits as 8 | 16 | 32];
  if (!Out) throw new DicomError('DICOM_DECODE_FAILED', `cannot hold ${bits}-bit samples`);
  const sameWidth = samples.BYTES_PER_ELEMENT * 8 === bits;
  if (bitsStored === bits && sameWidth) {
    return samples instanceof Out ? samples : new Out(samples.buffer as ArrayBuffer, samples.byteOffset, samples.length);
  }
  const out = new Out(samples.length);
  const shift = 32 - bitsStored;
  if (signed) {
    for (let i = 0; i < samples.length; i++) out[i] = (samples[i]! << shift) >> shift;
  } else if (bitsStored === 32) {
    for (let i = 0; i < samples.length; i++) out[i] = samples[i]! >>> 0;
  } else {
    const mask = 2 ** bitsStored - 1;
    for (let i = 0; i < samples.length; i++) out[i] = samples[i]! & mask;
  }
  return out;
}
