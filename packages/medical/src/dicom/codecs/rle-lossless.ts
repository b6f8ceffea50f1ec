import { DicomError } from '@cvf/core';
import type { CodecFrame, CodecSamples, FrameCodec } from './codec-frame.js';

const NAME = 'RLE Lossless';
const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

/**
 * DICOM RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment count, then up to 15
 * offsets) and one PackBits segment per byte plane: for each sample, its most significant byte first.
 * The result is interleaved per pixel whatever Planar Configuration says, as the segments are planes.
 */
export const rleLosslessCodec: FrameCodec = {
  name: NAME,
  async decode(encoded, pixel) {
    // RLE declares no precision of its own: the samples have Bits Stored significant bits.
    return { ...decodeRle(encoded, pixel.rows, pixel.columns, pixel.samplesPerPixel, pixel.bitsAllocated), bitsPerSample: pixel.bitsStored };
  },
};

export function decodeRle(encoded: Uint8Array, rows: number, columns: number, samplesPerPixel: number, bitsAllocated: number): CodecFrame {
  const fail = (reason: string) => new DicomError('DICOM_DECODE_FAILED', `${NAME}: ${reason}`);
  if (bitsAllocated % 8 !== 0) throw fail(`Bits Allocated ${bitsAllocated} is not a whole number of bytes`);
  const bytesPerSample = bitsAllocated / 8;
  if (encoded.length < HEADER_BYTES) throw fail(`the frame has ${encoded.length} bytes, fewer than the 64-byte RLE header`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  const expectedSegments = samplesPerPixel * bytesPerSample;
  if (segmentCount !== expectedSegments) {
    throw fail(`the header lists ${segmentCount} segments, but ${samplesPerPixel} sample(s) of ${bitsAllocated} bits need ${expectedSegments}`);
  }
  if (segmentCount > MAX_SEGMENTS) throw fail(`${segmentCount} segments exceed the 15 an RLE header can hold`);
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(view.getUint32(4 + s * 4, true));
  offsets.push(encoded.length);
  for (let s = 0; s < segmentCount; s++) {
    if (offsets[s]! < HEADER_BYTES || offsets[s]! > encoded.length || offsets[s + 1]! < offsets[s]!) {
      throw fail(`segment ${s + 1} offset ${offsets[s]} lies outside the ${encoded.length}-byte frame`);
    }
  }

  const pixels = rows * columns;
  const count = pixels * samplesPerPixel;
  if (bytesPerSample === 1 && samplesPerPixel === 1) {
    // The common 8-bit grey case: the single segment is the image.
    const out = new Uint8Array(pixels);
    checkLength(unpackBits(encoded, offsets[0]!, offsets[1]!, out, 0, 1, pixels), 0);
    return frame(out);
  }
  // Decode each byte plane straight into its byte of the output samples (typed arrays are little endian on every platform JS runs on).
  const out = new Uint8Array(count * bytesPerSample);
  for (let sample = 0; sample < samplesPerPixel; sample++) {
    for (let byte = 0; byte < bytesPerSample; byte++) {
      const segment = sample * bytesPerSample + byte;
      const littleEndianByte = bytesPerSample - 1 - byte;
      const start = sample * bytesPerSample + littleEndianByte;
      checkLength(unpackBits(encoded, offsets[segment]!, offsets[segment + 1]!, out, start, samplesPerPixel * bytesPerSample, pixels), segment);
    }
  }
  let samples: CodecSamples = out;
  if (bytesPerSample === 2) samples = new Uint16Array(out.buffer);
  else if (bytesPerSample === 4) samples = new Uint32Array(out.buffer);
  return frame(samples);

  // A short segment would leave rows of zeros where the header promises pixels: refuse it as native data is refused.
  function checkLength(written: number, segment: number): void {
    if (written < pixels) {
      throw new DicomError('DICOM_TRUNCATED', `${NAME}: segment ${segment + 1} decodes to ${written} bytes, but ${rows}×${columns} pixels need ${pixels}`);
    }
  }

  function frame(samples: CodecSamples): CodecFrame {
    return { samples, rows, columns, components: samplesPerPixel, bitsPerSample: bitsAllocated, signed: false, colorConverted: false };
  }
}

/**
 * PackBits: a header byte n in 0..127 copies the next n+1 bytes, -127..-1 repeats the next byte
 * 1-n times, -128 does nothing. Writes up to `count` bytes to out[start], out[start+stride], …
 * and returns how many it wrote; a segment that runs long is cut.
 */
function unpackBits(src: Uint8Array, from: number, to: number, out: Uint8Array, start: number, stride: number, count: number): number {
  let p = from;
  let o = start;
  const end = start + count * stride;
  while (p < to && o < end) {
    const n = src[p++]!;
    if (n < 128) {
      const copy = Math.min(n + 1, to - p);
      for (let k = 0; k < copy && o < end; k++, o += stride) out[o] = src[p + k]!;
      p += copy;
    } else if (n > 128) {
      const value = src[p++]!;
      const repeat = 257 - n;
      for (let k = 0; k < repeat && o < end; k++, o += stride) out[o] = value;
    }
  }
  return (o - start) / stride;
}
