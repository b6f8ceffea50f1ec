import { DicomError } from '@cvf/core';
import type { CodecFrame, CodecSamples } from './codec-frame.js';
import { takeCodecMessages } from './wasm-codec-loader.js';

/** The embind decoder surface every Cornerstone codec shares. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}

/**
 * Copies `encoded` into a new decoder's WebAssembly memory, decodes it and copies the samples out
 * (the decoder's buffer is a view into memory the next call reuses). A decoder serves one frame:
 * kept between frames, OpenJPEG answered a corrupt codestream with the previous frame's image
 * instead of an error — the previous slice of a series, silently, where the sizes agree.
 */
export function runWasmDecoder(codecName: string, createDecoder: () => WasmDecoder, encoded: Uint8Array, colorConverted: (components: number) => boolean): CodecFrame {
  takeCodecMessages();
  const decoder = createDecoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width === 0 || info.height === 0) throw new Error('no image came out');
    const decoded = decoder.getDecodedBuffer();
    const bytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
    const count = info.width * info.height * info.componentCount;
    if (decoded.length < count * bytesPerSample) {
      throw new Error(`it produced ${decoded.length} bytes for ${info.width}×${info.height}×${info.componentCount} samples of ${info.bitsPerSample} bits`);
    }
    // Copy into a fresh, aligned buffer: `decoded` lives in the codec's memory.
    const copy = decoded.slice(0, count * bytesPerSample);
    let samples: CodecSamples;
    if (bytesPerSample === 1) samples = info.isSigned ? new Int8Array(copy.buffer) : copy;
    else samples = info.isSigned ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
    return {
      samples,
      rows: info.height,
      columns: info.width,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      signed: info.isSigned,
      colorConverted: colorConverted(info.componentCount),
    };
  } catch (error) {
    throw decodeFailed(codecName, error);
  } finally {
    decoder.delete();
  }
}

/** A DICOM_DECODE_FAILED naming the codec; Emscripten throws numbers (C++ exception pointers) or strings. */
export function decodeFailed(codecName: string, error: unknown): DicomError {
  if (error instanceof DicomError) return error;
  const reason = error instanceof Error ? error.message : typeof error === 'number' ? 'the codec aborted' : String(error);
  const printed = takeCodecMessages()
    .filter((line) => /error|invalid|fail/i.test(line))
    .map((line) => line.replace(/^\[ERROR\]\s*/, '').trim());
  return new DicomError('DICOM_DECODE_FAILED', `${codecName} could not decode the frame: ${[reason, ...printed].join('; ')}`, { cause: error });
}
