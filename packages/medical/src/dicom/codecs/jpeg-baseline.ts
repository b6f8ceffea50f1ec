import { DicomError } from '@cvf/core';
import type { CodecFrame, FrameCodec } from './codec-frame.js';
import { readJpegFrameHeader, type JpegFrameHeader } from './jpeg-frame-header.js';
import { runWasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

const NAME = 'JPEG baseline/extended (libjpeg-turbo WebAssembly)';

/**
 * JPEG baseline (process 1) and extended (processes 2 & 4). 8-bit streams go to libjpeg-turbo;
 * 12-bit streams, which that 8-bit build cannot read, go to CV Factory's own 12-bit DCT decoder.
 */
export const jpegBaselineCodec: FrameCodec = {
  name: NAME,
  async decode(encoded) {
    const header = readJpegFrameHeader(encoded);
    if (header && header.precision > 8) {
      throw new DicomError('DICOM_DECODE_FAILED', `${NAME}: ${header.precision}-bit JPEG is beyond the 8-bit libjpeg-turbo build`);
    }
    const turbo = await loadWasmCodec('libjpeg-turbo-8bit', () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'));
    const frame: CodecFrame = runWasmDecoder(NAME, new turbo.JPEGDecoder(), encoded, (components) => components === 3 && libjpegSeesYCbCr(header));
    return frame;
  },
};

/**
 * Whether libjpeg treats a three-component stream as YCbCr (and so outputs RGB after converting):
 * JFIF says YCbCr; an Adobe marker says by its transform flag; otherwise component ids "RGB" mean
 * RGB and anything else YCbCr (libjpeg's jdapimin.c rules).
 */
export function libjpegSeesYCbCr(header: JpegFrameHeader | undefined): boolean {
  if (!header) return true;
  if (header.jfif) return true;
  if (header.adobeTransform !== undefined) return header.adobeTransform !== 0;
  const [a, b, c] = header.componentIds;
  return !(a === 0x52 && b === 0x47 && c === 0x42);
}
