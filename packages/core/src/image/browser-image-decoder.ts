import { ImageError } from '../errors.js';
import type { DecodeImageOptions, ImageDecoder } from './image-decoder.js';
import { IMAGE_MIME_TYPES, readImageHeader } from './image-format.js';
import { imageTensor, type ImageTensor } from './image-tensor.js';
import { rgbaToChannels } from './rgba-to-channels.js';

/**
 * The browser's ImageDecoder: createImageBitmap decodes, an OffscreenCanvas gives the RGBA bytes,
 * and the channels the file really has (read from its header) are kept. No colour-space
 * conversion and no alpha premultiplication are requested, so opaque pixels are the file's values.
 *
 * Limits of the platform: a canvas holds 8 bits per sample, so 16-bit PNGs need `depth: 8` here
 * (the browser's own 16→8 conversion); and a canvas stores premultiplied alpha, so the colour of a
 * semi-transparent pixel may be off by rounding (of a fully transparent one, lost).
 */
export class BrowserImageDecoder implements ImageDecoder {
  async decode(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<ImageTensor<'u8'>> {
    const header = readImageHeader(bytes);
    if (header.bitDepth === 16 && options.depth !== 8) {
      throw new ImageError(
        'IMAGE_UNSUPPORTED',
        `16-bit ${header.format}: a browser canvas holds 8 bits per sample; decode with { depth: 8 } to accept that, or decode in Node (sharp) for the 16-bit values`,
      );
    }
    let bitmap: ImageBitmap;
    try {
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: IMAGE_MIME_TYPES[header.format] });
      bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    } catch (error) {
      throw new ImageError('IMAGE_DECODE_FAILED', `the browser could not decode this ${header.format} (${header.width}×${header.height}): ${(error as Error).message}`, { cause: error });
    }
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new ImageError('IMAGE_DECODE_FAILED', 'OffscreenCanvas gave no 2d context');
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const rgba = context.getImageData(0, 0, width, height).data;
    return imageTensor('u8', { height, width, channels: header.channels }, rgbaToChannels(rgba, header.channels));
  }
}
