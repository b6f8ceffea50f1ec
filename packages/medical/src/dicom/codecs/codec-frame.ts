import type { ImagePixelModule } from '../image-pixel-module.js';

/** Samples a codec produced for one frame: interleaved when several per pixel, as stored bit patterns. */
export type CodecSamples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface CodecFrame {
  readonly samples: CodecSamples;
  readonly rows: number;
  readonly columns: number;
  readonly components: number;
  /** Precision the codestream declares (e.g. 12 for a 12-bit JPEG); native and RLE frames, which declare none, give Bits Stored. */
  readonly bitsPerSample: number;
  /** The codestream says its samples are signed (then `samples` is a signed array holding them). */
  readonly signed: boolean;
  /** The codec already turned YCbCr into RGB (JPEG's colour transform, JPEG 2000's MCT). */
  readonly colorConverted: boolean;
}

/** A decoder of one encapsulated frame. `pixel` is the Image Pixel module the frame must match. */
export interface FrameCodec {
  /** Name shown in errors, e.g. "JPEG-LS (CharLS WebAssembly)". */
  readonly name: string;
  decode(encoded: Uint8Array, pixel: ImagePixelModule): Promise<CodecFrame>;
}
