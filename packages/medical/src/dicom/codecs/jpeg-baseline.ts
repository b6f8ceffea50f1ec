import type { FrameCodec } from './codec-frame.js';
import { jpeg12BitCodec } from './jpeg-12bit.js';
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
  async decode(encoded, pixel) {
    const header = readJpegFrameHeader(encoded);
    if (header && header.precision > 8) return jpeg12BitCodec.decode(encoded, pixel);
    // DICOM's RGB means the encoder applied no colour transform (PS3.5 8.2.1); libjpeg would
    // assume YCbCr for a stream without markers, so tell it otherwise.
    const rgb = pixel.photometricInterpretation === 'RGB' && header?.componentIds.length === 3 && libjpegSeesYCbCr(header);
    const stream = rgb ? withoutColorTransform(encoded) : encoded;
    const turbo = await loadWasmCodec('libjpeg-turbo-8bit', () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs'));
    return runWasmDecoder(NAME, () => new turbo.JPEGDecoder(), stream, (components) => components === 3 && !rgb && libjpegSeesYCbCr(header));
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

/** An Adobe APP14 segment saying "no colour transform" (version 100, flags 0, transform 0). */
const ADOBE_NO_TRANSFORM = new Uint8Array([0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);

/**
 * A copy of the stream that libjpeg decodes without YCbCr→RGB conversion: JFIF APP0 segments
 * become comments (JFIF would imply YCbCr) and an Adobe "transform 0" segment follows SOI.
 */
function withoutColorTransform(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(encoded.length + ADOBE_NO_TRANSFORM.length);
  out.set(encoded.subarray(0, 2), 0);
  out.set(ADOBE_NO_TRANSFORM, 2);
  out.set(encoded.subarray(2), 2 + ADOBE_NO_TRANSFORM.length);
  let p = 2 + ADOBE_NO_TRANSFORM.length;
  while (p + 4 <= out.length && out[p] === 0xff) {
    const marker = out[p + 1]!;
    if (marker === 0xda || (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)) break;
    if (marker === 0xe0) out[p + 1] = 0xfe; // APP0 → COM
    if (marker === 0xee) out[p + 1] = 0xfe; // an Adobe segment of the stream's own → COM
    p += 2 + ((out[p + 2]! << 8) | out[p + 3]!);
  }
  return out;
}
