import sharp, { type OutputInfo } from 'sharp';
import { ImageError } from '../errors.js';
import { u16ToU8, type DecodeImageOptions, type ImageDecoder } from '../image/image-decoder.js';
import { readImageHeader } from '../image/image-format.js';
import { imageTensor, type ImageTensor } from '../image/image-tensor.js';
import { rgbaToChannels } from '../image/rgba-to-channels.js';

/**
 * Node's ImageDecoder, on sharp (libvips): the same tensors as the browser's decoder. Pixels are
 * decoded to RGBA at the file's depth and the channels the header declares are kept (gray is R,
 * alpha is A), exactly as the browser reads its canvas, so both agree on gray, gray + alpha,
 * palette and RGB(A) files. No colour management is applied (like the browser decoder's
 * colorSpaceConversion: 'none'); EXIF orientation is.
 */
export class SharpImageDecoder implements ImageDecoder {
  async decode(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<ImageTensor> {
    const header = readImageHeader(bytes);
    const wide = header.bitDepth === 16;
    let raw: { data: Buffer; info: OutputInfo };
    try {
      raw = await sharp(bytes, { failOn: 'error' })
        .autoOrient()
        .toColourspace(wide ? 'rgb16' : 'srgb')
        .ensureAlpha()
        .raw({ depth: wide ? 'ushort' : 'uchar' })
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new ImageError('IMAGE_DECODE_FAILED', `sharp could not decode this ${header.format} (${header.width}×${header.height}): ${(error as Error).message}`, { cause: error });
    }
    const { width, height, channels } = raw.info;
    if (channels !== 4) throw new ImageError('IMAGE_DECODE_FAILED', `sharp gave ${channels} channels for RGBA output of this ${header.format}`);
    const size = { height, width, channels: header.channels };
    if (!wide) return imageTensor('u8', size, rgbaToChannels(new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length), header.channels));
    // Copied out: a Buffer may start at an odd offset, where no Uint16Array can view it.
    const samples = new Uint16Array(raw.data.buffer.slice(raw.data.byteOffset, raw.data.byteOffset + raw.data.length));
    const kept = rgbaToChannels(samples, header.channels);
    return options.depth === 8 ? imageTensor('u8', size, u16ToU8(kept)) : imageTensor('u16', size, kept);
  }
}

/** One decoder is enough for a process: sharp keeps its own thread pool. */
export const sharpImageDecoder: ImageDecoder = new SharpImageDecoder();
