import type { FrameCodec } from './codec-frame.js';
import { ReusedDecoder, runWasmDecoder, type WasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

/** Kept between frames (see ReusedDecoder). */
let decoders: ReusedDecoder<WasmDecoder> | undefined;

const NAME = 'JPEG-LS (CharLS WebAssembly)';

/** JPEG-LS lossless and near-lossless, by CharLS. Colour comes out interleaved, as stored (no transform in DICOM). */
export const jpegLsCodec: FrameCodec = {
  name: NAME,
  async decode(encoded) {
    const charls = await loadWasmCodec('charls', () => import('@cornerstonejs/codec-charls/decodewasmjs'));
    decoders ??= new ReusedDecoder<WasmDecoder>(() => new charls.JpegLSDecoder());
    return runWasmDecoder(NAME, decoders, encoded, () => false);
  },
};
