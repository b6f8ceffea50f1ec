import type { FrameCodec } from './codec-frame.js';
import { ReusedDecoder, runWasmDecoder, type WasmDecoder } from './run-wasm-decoder.js';
import { loadWasmCodec } from './wasm-codec-loader.js';

/** Kept between frames (see ReusedDecoder). */
let decoders: ReusedDecoder<WasmDecoder> | undefined;

const NAME = 'HTJ2K (OpenJPH WebAssembly)';

/** High-Throughput JPEG 2000 (Part 15), by OpenJPH, which applies the inverse colour transform itself. */
export const htj2kCodec: FrameCodec = {
  name: NAME,
  async decode(encoded, pixel) {
    const openjph = await loadWasmCodec('openjph', () => import('@cornerstonejs/codec-openjph/wasmjs'));
    const mct = pixel.photometricInterpretation === 'YBR_RCT' || pixel.photometricInterpretation === 'YBR_ICT';
    decoders ??= new ReusedDecoder<WasmDecoder>(() => new openjph.HTJ2KDecoder());
    return runWasmDecoder(NAME, decoders, encoded, (components) => components === 3 && mct);
  },
};
