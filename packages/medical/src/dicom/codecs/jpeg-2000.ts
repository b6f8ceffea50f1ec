import type { FrameCodec } from './codec-frame.js';
import { runWasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

const NAME = 'JPEG 2000 (OpenJPEG WebAssembly)';

/**
 * JPEG 2000 (Part 1), lossless and lossy, by OpenJPEG. OpenJPEG applies the inverse multiple
 * component transform itself, so YBR_RCT and YBR_ICT images come out as RGB.
 */
export const jpeg2000Codec: FrameCodec = {
  name: NAME,
  async decode(encoded, pixel) {
    const openjpeg = await loadWasmCodec('openjpeg', () => import('@cornerstonejs/codec-openjpeg/decodewasmjs'));
    const mct = pixel.photometricInterpretation === 'YBR_RCT' || pixel.photometricInterpretation === 'YBR_ICT';
    return runWasmDecoder(NAME, () => new openjpeg.J2KDecoder(), encoded, (components) => components === 3 && mct);
  },
};
