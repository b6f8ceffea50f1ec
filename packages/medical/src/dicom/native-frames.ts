import { DicomError } from '@cvf/core';
import type { CodecFrame, CodecSamples } from './codecs/codec-frame.js';
import type { ImagePixelModule } from './image-pixel-module.js';
import { Tag } from './tags.js';

/** Bytes (or, for 1-bit data, bits) one native frame occupies in Pixel Data. */
export function nativeFrameBits(pixel: ImagePixelModule): number {
  const samples = pixel.rows * pixel.columns * pixel.samplesPerPixel;
  // YBR_FULL_422 stores two luma samples and one Cb/Cr pair per two pixels (PS3.3 C.7.6.3.1.2).
  const stored = pixel.photometricInterpretation === 'YBR_FULL_422' || pixel.photometricInterpretation === 'YBR_PARTIAL_422' ? (samples / 3) * 2 : samples;
  return stored * pixel.bitsAllocated;
}

/** DICOM_TRUNCATED, naming the first frame it lacks, unless native Pixel Data holds every frame the header declares. */
export function checkNativeLength(pixelData: Uint8Array, pixel: ImagePixelModule): void {
  const frameBits = nativeFrameBits(pixel);
  if (pixelData.length * 8 >= pixel.numberOfFrames * frameBits) return;
  checkFrameHeld(pixelData, Math.floor((pixelData.length * 8) / frameBits), pixel, frameBits);
}

function checkFrameHeld(pixelData: Uint8Array, index: number, pixel: ImagePixelModule, frameBits: number): number {
  const needed = Math.ceil(((index + 1) * frameBits) / 8);
  if (pixelData.length < needed) {
    throw new DicomError(
      'DICOM_TRUNCATED',
      `Pixel Data holds ${pixelData.length} bytes, but frame ${index + 1} of ${pixel.numberOfFrames} (${pixel.rows}×${pixel.columns}, ${pixel.samplesPerPixel} sample(s) of ${pixel.bitsAllocated} bits) needs ${needed}`,
    );
  }
  return needed;
}

/**
 * Reads frame `index` of native (uncompressed) Pixel Data. Samples come back as unsigned bit
 * patterns (floats for Float/Double Float Pixel Data), interleaved per pixel, with 4:2:2 chroma
 * repeated to every pixel. `littleEndian` is the data set's byte order; in big endian, OW data of
 * 8 or 1 bits is stored in swapped 16-bit words.
 */
export function readNativeFrame(pixelData: Uint8Array, index: number, pixel: ImagePixelModule, littleEndian: boolean, vr: string | undefined): CodecFrame {
  const frameBits = nativeFrameBits(pixel);
  const needed = checkFrameHeld(pixelData, index, pixel, frameBits);
  let source = pixelData;
  if (!littleEndian && vr === 'OW' && pixel.bitsAllocated <= 8) source = swapWords(pixelData.subarray(0, needed + (needed % 2)));
  let samples: CodecSamples;
  if (pixel.bitsAllocated === 1) {
    samples = unpackBits(source, index * frameBits, frameBits);
  } else {
    const start = (index * frameBits) / 8;
    const bytes = source.slice(start, start + frameBits / 8);
    samples = typedSamples(bytes, pixel, littleEndian);
  }
  if (pixel.photometricInterpretation === 'YBR_FULL_422' || pixel.photometricInterpretation === 'YBR_PARTIAL_422') samples = upsample422(samples);
  else if (pixel.samplesPerPixel > 1 && pixel.planarConfiguration === 1) samples = interleavePlanes(samples, pixel.samplesPerPixel);
  return {
    samples,
    rows: pixel.rows,
    columns: pixel.columns,
    components: pixel.samplesPerPixel,
    bitsPerSample: pixel.bitsStored,
    signed: false,
    colorConverted: false,
  };
}

/** A typed array over a private copy of the frame's bytes, swapped to platform (little-endian) order. */
function typedSamples(bytes: Uint8Array, pixel: ImagePixelModule, littleEndian: boolean): CodecSamples {
  const size = pixel.bitsAllocated / 8;
  if (!littleEndian && size > 1) swapInPlace(bytes, size);
  const float = pixel.pixelDataTag !== Tag.PixelData;
  switch (pixel.bitsAllocated) {
    case 8:
      return bytes;
    case 16:
      return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    case 32:
      return float ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4) : new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    case 64:
      return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
    default:
      throw new DicomError('DICOM_DECODE_FAILED', `native Pixel Data with Bits Allocated ${pixel.bitsAllocated} cannot be read (1, 8, 16, 32 or 64)`);
  }
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

function swapWords(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  swapInPlace(out, 2);
  return out;
}

/** 1-bit data, least significant bit first; frames need not start on a byte boundary. */
function unpackBits(bytes: Uint8Array, bitOffset: number, bitCount: number): Uint8Array {
  const out = new Uint8Array(bitCount);
  let i = 0;
  let bit = bitOffset;
  // Up to the first byte boundary, then whole bytes, then the tail.
  for (; i < bitCount && (bit & 7) !== 0; i++, bit++) out[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
  for (let byte = bit >> 3; i + 8 <= bitCount; i += 8, bit += 8, byte++) {
    const b = bytes[byte]!;
    out[i] = b & 1;
    out[i + 1] = (b >> 1) & 1;
    out[i + 2] = (b >> 2) & 1;
    out[i + 3] = (b >> 3) & 1;
    out[i + 4] = (b >> 4) & 1;
    out[i + 5] = (b >> 5) & 1;
    out[i + 6] = (b >> 6) & 1;
    out[i + 7] = (b >> 7) & 1;
  }
  for (; i < bitCount; i++, bit++) out[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
  return out;
}

/** Y1 Y2 Cb Cr → Y1 Cb Cr Y2 Cb Cr. */
function upsample422(stored: CodecSamples): CodecSamples {
  const Ctor = stored.constructor as new (length: number) => CodecSamples;
  const out = new Ctor((stored.length / 2) * 3);
  for (let i = 0, o = 0; i + 3 < stored.length; i += 4, o += 6) {
    const cb = stored[i + 2]!;
    const cr = stored[i + 3]!;
    out[o] = stored[i]!;
    out[o + 1] = cb;
    out[o + 2] = cr;
    out[o + 3] = stored[i + 1]!;
    out[o + 4] = cb;
    out[o + 5] = cr;
  }
  return out;
}

/** R1R2…G1G2…B1B2… → R1G1B1R2G2B2… */
function interleavePlanes(planes: CodecSamples, samplesPerPixel: number): CodecSamples {
  const Ctor = planes.constructor as new (length: number) => CodecSamples;
  const out = new Ctor(planes.length);
  const pixels = planes.length / samplesPerPixel;
  for (let s = 0; s < samplesPerPixel; s++) {
    const base = s * pixels;
    for (let p = 0, o = s; p < pixels; p++, o += samplesPerPixel) out[o] = planes[base + p]!;
  }
  return out;
}
