import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, imageTensor, Rng, type DecodeImageOptions, type ImageChannels } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { openBundledPage, type BundledPage } from '../support/browser-page.js';
import { chromiumUnavailable } from '../support/chromium.js';

const skip = chromiumUnavailable();
let opened: BundledPage | undefined;

beforeAll(async () => {
  if (!skip) opened = await openBundledPage(new URL('./browser-entry.ts', import.meta.url), { ready: 'decodeImage', title: 'image decode' });
});
afterAll(() => opened?.close());

function decodeInBrowser(bytes: Uint8Array, options?: DecodeImageOptions) {
  return opened!.page.evaluate(([b, o]) => window.decodeImage(b, o), [Array.from(bytes), options] as const);
}

async function decodeInNode(bytes: Uint8Array) {
  const image = await sharpImageDecoder.decode(bytes);
  return { dtype: image.dtype, shape: [...image.shape], data: Array.from(image.data) };
}

const rng = new Rng(17);

/** Random pixels, opaque where there is alpha: a canvas premultiplies alpha, so translucent colours are not exact. */
function opaque(height: number, width: number, channels: ImageChannels): Uint8Array {
  return Uint8Array.from({ length: height * width * channels }, (_, i) => (channels % 2 === 0 && i % channels === channels - 1 ? 255 : rng.int(0, 255)));
}

describe.skipIf(skip)('the browser decoder gives the tensors sharp gives in Node', () => {
  it('PNG: gray, gray + alpha, RGB, RGBA (8-bit) are equal sample for sample', async () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const png = await encodePng(imageTensor('u8', { height: 9, width: 13, channels }, opaque(9, 13, channels)));
      const node = await decodeInNode(png);
      expect(node.shape).toEqual([9, 13, channels]);
      expect(await decodeInBrowser(png), `${channels} channels`).toEqual(node);
    }
  });

  it('palette PNG and lossless WebP are equal; JPEG agrees within the IDCT rounding of two libjpeg builds', async () => {
    const rgb = opaque(12, 10, 3);
    const palette = await sharp(rgb, { raw: { width: 10, height: 12, channels: 3 } }).png({ palette: true, colours: 8 }).toBuffer();
    expect(await decodeInBrowser(palette)).toEqual(await decodeInNode(palette));
    const webp = await sharp(rgb, { raw: { width: 10, height: 12, channels: 3 } }).webp({ lossless: true }).toBuffer();
    expect(await decodeInBrowser(webp)).toEqual(await decodeInNode(webp));

    const ramp = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 5 + Math.floor(i / 96) * 3) % 256);
    const jpeg = await sharp(ramp, { raw: { width: 32, height: 32, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const node = await decodeInNode(jpeg);
    const browserJpeg = await decodeInBrowser(jpeg);
    if (!('data' in browserJpeg)) throw new Error(JSON.stringify(browserJpeg));
    expect(browserJpeg.shape).toEqual(node.shape);
    const worst = Math.max(...browserJpeg.data.map((v, i) => Math.abs(v - node.data[i]!)));
    console.log(`JPEG: largest browser − sharp difference ${worst} levels`);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('16-bit PNG: refused at native depth (a canvas holds 8 bits), decoded to 8 bits on request', async () => {
    const values = Uint16Array.from({ length: 4 * 6 }, (_, i) => 257 * ((i * 37) % 256));
    const png = await encodePng(imageTensor('u16', { height: 4, width: 6, channels: 1 }, values));
    expect(await decodeInBrowser(png)).toMatchObject({ error: { code: 'IMAGE_UNSUPPORTED', message: expect.stringContaining('depth: 8') } });
    // Values that came from 8 bits (v = 257·k) survive any 16 → 8 conversion exactly.
    const node = await sharpImageDecoder.decode(png, { depth: 8 });
    expect(await decodeInBrowser(png, { depth: 8 })).toEqual({ dtype: 'u8', shape: [4, 6, 1], data: Array.from(node.data) });
  });

  it('a foreign format is refused with its code', async () => {
    expect(await decodeInBrowser(new TextEncoder().encode('BM not a png'))).toMatchObject({ error: { code: 'IMAGE_UNSUPPORTED_FORMAT' } });
  });
});
