import type { ImageTensor } from './image-tensor.js';

export interface DecodeImageOptions {
  /**
   * 'native' (default): 16-bit PNGs decode to u16, everything else to u8.
   * 8: every image decodes to u8 (16-bit samples are scaled by 255/65535 and rounded).
   */
  readonly depth?: 'native' | 8;
}

/**
 * Decodes PNG, JPEG and WebP bytes into an ImageTensor: [height, width, channels] interleaved,
 * u8 (u16 for 16-bit PNG), with the file's channels — 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
 * EXIF orientation is applied. Errors are ImageErrors (IMAGE_UNSUPPORTED_FORMAT,
 * IMAGE_DECODE_FAILED, IMAGE_UNSUPPORTED). One implementation per platform: the browser's
 * (createImageBitmap) and Node's (sharp, in @cvf/core/node), giving the same tensors.
 */
export interface ImageDecoder {
  decode(bytes: Uint8Array, options?: DecodeImageOptions): Promise<ImageTensor>;
}

/** 16-bit → 8-bit as `depth: 8` defines it: round(v · 255 / 65535), which is exact for values that came from 8 bits (v = 257·k). */
export function u16ToU8(values: Uint16Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(values[i]! / 257);
  return out;
}
