import { Decoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import type { FrameCodec } from './codec-frame.js';
import { readJpegFrameHeader } from './jpeg-frame-header.js';
import { decodeFailed } from './run-wasm-decoder.js';

const NAME = 'JPEG Lossless (jpeg-lossless-decoder-js)';

/** JPEG lossless, process 14, any predictor (selection values 1–7), by jpeg-lossless-decoder-js. */
export const jpegLosslessCodec: FrameCodec = {
  name: NAME,
  async decode(encoded) {
    const header = readJpegFrameHeader(encoded);
    if (!header) throw decodeFailed(NAME, new Error('the fragment is not a JPEG stream (no SOI and frame header)'));
    const components = header.componentIds.length;
    const bytesPerSample = header.precision > 8 ? 2 : 1;
    // The decoder writes 16-bit colour as single-component samples; only 8-bit colour is interleaved right.
    if (components > 1 && bytesPerSample > 1) {
      throw decodeFailed(NAME, new Error(`${components}-component ${header.precision}-bit lossless JPEG is not supported by the decoder`));
    }
    let samples: Uint8Array | Uint16Array;
    try {
      samples = new Decoder().decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.byteLength, bytesPerSample);
    } catch (error) {
      throw decodeFailed(NAME, error);
    }
    const expected = header.rows * header.columns * components;
    if (samples.length < expected) throw decodeFailed(NAME, new Error(`it produced ${samples.length} samples, ${expected} expected`));
    return {
      samples: samples.length === expected ? samples : samples.subarray(0, expected),
      rows: header.rows,
      columns: header.columns,
      components,
      bitsPerSample: header.precision,
      signed: false,
      colorConverted: false,
    };
  },
};
