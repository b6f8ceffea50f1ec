import type { FrameCodec } from './codec-frame.js';
import { runWasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

const NAME = 'JPEG-LS (CharLS WebAssembly)';

/** JPEG-LS lossless and near-lossless, by CharLS. Colour comes out interleaved, as stored (no transform in DICOM). */
export const jpegLsCodec: FrameCodec = {
  name: NAME,
  async decode(encoded) {
    const charls = await loadWasmCodec('charls', () => import('@cornerstonejs/codec-charls/decodewasmjs'));
    return runWasmDecoder(NAME, () => new charls.JpegLSDecoder(), encoded, () => false);
  },
};
