// Types of the codec packages, which ship none: the Emscripten factories of the Cornerstone
// WebAssembly builds.

interface CvfEmscriptenFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** Common shape of the embind decoder classes: write the encoded bytes in, decode, read the pixels out. */
interface CvfWasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): CvfEmscriptenFrameInfo;
  delete(): void;
}

interface CvfEmscriptenModuleArg {
  locateFile?: (path: string, scriptDirectory: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
  print?: (line: string) => void;
  printErr?: (line: string) => void;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (arg?: CvfEmscriptenModuleArg) => Promise<{ JPEGDecoder: new () => CvfWasmDecoder & { readHeader(): void } }>;
  export default factory;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (arg?: CvfEmscriptenModuleArg) => Promise<{ JpegLSDecoder: new () => CvfWasmDecoder & { getInterleaveMode(): number; getNearLossless(): number } }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (arg?: CvfEmscriptenModuleArg) => Promise<{ J2KDecoder: new () => CvfWasmDecoder & { readHeader(): void; getColorSpace(): number } }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: (arg?: CvfEmscriptenModuleArg) => Promise<{
    HTJ2KDecoder: new () => CvfWasmDecoder & { readHeader(): void; getIsReversible(): boolean };
    /** Used by tests to make HTJ2K fixtures. */
    HTJ2KEncoder: new () => {
      getDecodedBuffer(info: CvfEmscriptenFrameInfo & { isUsingColorTransform: boolean }): Uint8Array;
      encode(): void;
      getEncodedBuffer(): Uint8Array;
      delete(): void;
    };
  }>;
  export default factory;
}

