import type { FrameCodec } from './codec-frame.js';
import { runWasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

const NAME = 'HTJ2K (OpenJPH WebAssembly)';

/** High-Throughput JPEG 2000 (Part 15), by OpenJPH, which applies the inverse colour transform itself. */
export const htj2kCodec: FrameCodec = {
  name: NAME,
  async decode(encoded, pixel) {
    const openjph = await loadWasmCodec('openjph', () => import('@cornerstonejs/codec-openjph/wasmjs'));
    const mct = pixel.photometricInterpretation === 'YBR_RCT' || pixel.photometricInterpretation === 'YBR_ICT';
    return runWasmDecoder(NAME, () => new openjph.HTJ2KDecoder(), encoded, (components) => components === 3 && mct);
  },
};
