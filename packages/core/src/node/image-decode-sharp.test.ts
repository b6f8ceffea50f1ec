import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Rng } from '../compute/random.js';
import { encodePng } from '../image/encode-png.js';
import { readImageHeader } from '../image/image-format.js';
import { imageTensor, type ImageChannels } from '../image/image-tensor.js';
import { sharpImageDecoder } from './image-decode-sharp.js';

const rng = new Rng(3);

function randomImage<D extends 'u8' | 'u16'>(dtype: D, height: number, width: number, channels: ImageChannels) {
  const max = dtype === 'u8' ? 255 : 65535;
  const values = Array.from({ length: height * width * channels }, () => rng.int(0, max));
  return imageTensor(dtype, { height, width, channels }, (dtype === 'u8' ? Uint8Array.from(values) : Uint16Array.from(values)) as never);
}

describe('sharp image decoder', () => {
  it('decodes 8- and 16-bit PNGs of 1 to 4 channels to exactly the encoded tensor', async () => {
    for (const dtype of ['u8', 'u16'] as const) {
      for (const channels of [1, 2, 3, 4] as const) {
        const image = randomImage(dtype, 7, 5, channels);
        const decoded = await sharpImageDecoder.decode(await encodePng(image));
        expect([decoded.dtype, ...decoded.shape], `${dtype} × ${channels}`).toEqual([dtype, 7, 5, channels]);
        expect(decoded.data, `${dtype} × ${channels}`).toEqual(image.data);
      }
    }
  });

  it('gives u8 for 16-bit PNGs with depth: 8, as round(v / 257)', async () => {
    const image = imageTensor('u16', { height: 1, width: 5, channels: 1 }, Uint16Array.from([0, 128, 129, 257 * 200, 65535]));
    const decoded = await sharpImageDecoder.decode(await encodePng(image), { depth: 8 });
    expect(decoded.dtype).toBe('u8');
    expect(Array.from(decoded.data)).toEqual([0, 0, 1, 200, 255]);
  });

  it('decodes lossless WebP (RGB and RGBA) exactly, and JPEG with the channels of the file', async () => {
    for (const channels of [3, 4] as const) {
      const image = randomImage('u8', 6, 9, channels);
      const webp = await sharp(image.data, { raw: { width: 9, height: 6, channels } }).webp({ lossless: true, exact: true }).toBuffer();
      const decoded = await sharpImageDecoder.decode(webp);
      expect(decoded.shape).toEqual([6, 9, channels]);
      expect(decoded.data).toEqual(image.data);
    }
    const smooth = imageTensor('u8', { height: 16, width: 16, channels: 1 }, Uint8Array.from({ length: 256 }, (_, i) => 8 * (i % 16) + 4 * Math.floor(i / 16)));
    const grayJpeg = await sharp(smooth.data, { raw: { width: 16, height: 16, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
    const gray = await sharpImageDecoder.decode(grayJpeg);
    expect(gray.shape).toEqual([16, 16, 1]);
    // Lossy, but a smooth ramp at quality 95 comes back within a few levels.
    expect(Math.max(...Array.from(gray.data, (v, i) => Math.abs(v - smooth.data[i]!)))).toBeLessThanOrEqual(4);
    const rgbJpeg = await sharp(randomImage('u8', 8, 8, 3).data, { raw: { width: 8, height: 8, channels: 3 } }).jpeg().toBuffer();
    expect((await sharpImageDecoder.decode(rgbJpeg)).shape).toEqual([8, 8, 3]);
  });

  it('agrees with the header on palette PNGs, with and without transparency', async () => {
    for (const channels of [3, 4] as const) {
      const image = randomImage('u8', 4, 4, channels);
      const png = await sharp(image.data, { raw: { width: 4, height: 4, channels } }).png({ palette: true, colours: 4 }).toBuffer();
      expect(png[25], 'colour type 3 (palette)').toBe(3);
      const decoded = await sharpImageDecoder.decode(png);
      expect(readImageHeader(png).channels).toBe(channels);
      expect(decoded.shape).toEqual([4, 4, channels]);
      expect((await sharp(png).metadata()).channels).toBe(channels);
    }
  });

  it('reports corrupt pixel data and foreign formats with stable codes', async () => {
    const png = await encodePng(randomImage('u8', 8, 8, 3));
    const broken = png.slice();
    broken.fill(0x55, 45, png.length - 12); // the IDAT payload
    await expect(sharpImageDecoder.decode(broken)).rejects.toMatchObject({ code: 'IMAGE_DECODE_FAILED' });
    const tiff = await sharp(Buffer.alloc(12), { raw: { width: 2, height: 2, channels: 3 } }).tiff().toBuffer();
    await expect(sharpImageDecoder.decode(tiff)).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED_FORMAT' });
  });
});
