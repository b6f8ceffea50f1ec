import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePng } from './encode-png.js';
import { imageTensor } from './image-tensor.js';
import { parseMediaType, sniffMediaType } from './sniff-media-type.js';

const pixels = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256);
const raw = { raw: { width: 4, height: 4, channels: 3 as const } };

/** A DICOM Part 10 head: 128 bytes of preamble (here not zero, as some writers leave it), "DICM", then a meta group. */
function dicomHead(): Uint8Array {
  const bytes = new Uint8Array(140).fill(0x20);
  bytes.set(new TextEncoder().encode('DICM'), 128);
  return bytes;
}

describe('sniffMediaType', () => {
  it('recognises PNG, JPEG and WebP by their signatures and DICOM by DICM at byte 128', async () => {
    expect(sniffMediaType(await encodePng(imageTensor('u8', { height: 4, width: 4, channels: 3 }, pixels)))).toBe('image/png');
    expect(sniffMediaType(new Uint8Array(await sharp(pixels, raw).jpeg().toBuffer()))).toBe('image/jpeg');
    expect(sniffMediaType(new Uint8Array(await sharp(pixels, raw).webp({ lossless: true }).toBuffer()))).toBe('image/webp');
    expect(sniffMediaType(dicomHead())).toBe('application/dicom');
  });

  it('bytes cut before their signature ends are INPUT_UNSUPPORTED_MEDIA', async () => {
    const png = await encodePng(imageTensor('u8', { height: 4, width: 4, channels: 3 }, pixels));
    const webp = new Uint8Array(await sharp(pixels, raw).webp({ lossless: true }).toBuffer());
    for (const cut of [png.subarray(0, 5), Uint8Array.of(0xff, 0xd8), webp.subarray(0, 11), dicomHead().subarray(0, 131), new Uint8Array(0)]) {
      expect(() => sniffMediaType(cut), `${cut.length} bytes`).toThrow(expect.objectContaining({ code: 'INPUT_UNSUPPORTED_MEDIA' }));
    }
  });

  it('garbage is INPUT_UNSUPPORTED_MEDIA naming the bytes seen and the supported types', () => {
    const bmp = new TextEncoder().encode('BM6\u0000\u0000\u0000 a bitmap, not supported');
    expect(() => sniffMediaType(bmp)).toThrow(
      expect.objectContaining({
        code: 'INPUT_UNSUPPORTED_MEDIA',
        message: expect.stringMatching(/first bytes \[42 4d 36 00 00 00 20 61\].*supported: image\/png, image\/jpeg, image\/webp, application\/dicom/),
      }),
    );
    // DICM in the wrong place is not DICOM Part 10.
    const shifted = new Uint8Array(200);
    shifted.set(new TextEncoder().encode('DICM'), 0);
    expect(() => sniffMediaType(shifted)).toThrow(expect.objectContaining({ code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining('bytes 128..131 [00 00 00 00]') }));
  });
});

describe('parseMediaType', () => {
  it('takes the four types in any case, with parameters', () => {
    expect(parseMediaType('image/PNG')).toBe('image/png');
    expect(parseMediaType(' image/jpeg ')).toBe('image/jpeg');
    expect(parseMediaType('image/webp')).toBe('image/webp');
    expect(parseMediaType('application/dicom; transfer-syntax=1.2.840.10008.1.2.1')).toBe('application/dicom');
  });

  it('refuses any other type with INPUT_UNSUPPORTED_MEDIA naming it', () => {
    for (const type of ['image/bmp', 'application/octet-stream', 'image/jpg', '']) {
      expect(() => parseMediaType(type), type).toThrow(expect.objectContaining({ code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining(`"${type}"`) }));
    }
  });
});
