import { describe, expect, it } from 'vitest';
import { CvfError } from '../errors.js';
import { encodePng } from './encode-png.js';
import { detectImageFormat, readImageHeader } from './image-format.js';
import { imageTensor } from './image-tensor.js';

describe('image headers', () => {
  it('reads size, channels and depth of PNGs of every channel count and depth', async () => {
    for (const channels of [1, 2, 3, 4] as const) {
      for (const dtype of ['u8', 'u16'] as const) {
        const png = await encodePng(imageTensor(dtype, { height: 3, width: 5, channels }));
        expect(readImageHeader(png)).toEqual({ format: 'png', width: 5, height: 3, channels, bitDepth: dtype === 'u16' ? 16 : 8 });
      }
    }
  });

  it('names unknown formats and truncated headers with stable codes', async () => {
    const text = new TextEncoder().encode('GIF89a......');
    expect(detectImageFormat(text)).toBeNull();
    const unknown = (() => { try { readImageHeader(text); } catch (e) { return e as CvfError; } })();
    expect(unknown?.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(unknown?.message).toContain('png, jpeg, webp');
    const png = await encodePng(imageTensor('u8', { height: 1, width: 1, channels: 1 }));
    expect(() => readImageHeader(png.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'IMAGE_DECODE_FAILED' }));
    expect(() => readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toThrow(expect.objectContaining({ code: 'IMAGE_DECODE_FAILED' }));
  });
});
