import { describe, expect, it } from 'vitest';
import { Tensor } from '../compute/tensor.js';
import { fromPlanar, imageSize, imageTensor, toPlanar, writePlanar } from './image-tensor.js';

describe('image tensor layout', () => {
  // 2×3 RGBA: value = 100·c + 10·y + x, so every sample says where it came from.
  const rgba = imageTensor('u8', { height: 2, width: 3, channels: 4 }, Uint8Array.from({ length: 24 }, (_, i) => {
    const c = i % 4;
    const p = Math.floor(i / 4);
    return 100 * (c === 3 ? 2 : c) + 10 * Math.floor(p / 3) + (p % 3) + (c === 3 ? 5 : 0);
  }));

  it('toPlanar puts channel c of (y, x) at [c, y, x] and drops alpha by default', () => {
    const planar = toPlanar(rgba);
    expect(planar.shape).toEqual([3, 2, 3]);
    expect(Array.from(planar.data)).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212]);
  });

  it('keeps alpha when asked, and fromPlanar inverts toPlanar', () => {
    const planar = toPlanar(rgba, { dropAlpha: false });
    expect(planar.shape).toEqual([4, 2, 3]);
    expect(Array.from(planar.data.subarray(18))).toEqual([205, 206, 207, 215, 216, 217]);
    const back = fromPlanar(planar);
    expect(back.shape).toEqual([2, 3, 4]);
    expect(back.data).toEqual(rgba.data);
  });

  it('writePlanar fills a float32 feed at an offset from u8, u16 and f32 images alike', () => {
    const want = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212];
    for (const dtype of ['u8', 'u16', 'f32'] as const) {
      const image = Tensor.cpu(dtype, [2, 3, 4], Array.from(rgba.data));
      const feed = new Float32Array(20).fill(-1);
      writePlanar(image, feed, 1, 3);
      expect(Array.from(feed), dtype).toEqual([-1, ...want, -1]);
    }
  });

  it('gray + alpha keeps one colour channel', () => {
    const ga = imageTensor('u16', { height: 1, width: 2, channels: 2 }, Uint16Array.from([1000, 65535, 2000, 0]));
    const planar = toPlanar(ga);
    expect(planar.dtype).toBe('u16');
    expect(Array.from(planar.data)).toEqual([1000, 2000]);
  });

  it('rejects tensors that are not [H, W, 1..4] of u8/u16/f32', () => {
    expect(() => imageSize(Tensor.cpu('u8', [2, 2]))).toThrow(/not \[height, width, channels\]/);
    expect(() => imageSize(Tensor.cpu('u8', [2, 2, 5]))).toThrow(/1 to 4 channels/);
    expect(() => imageSize(Tensor.cpu('i32', [2, 2, 1]))).toThrow(/dtype i32 is not one of u8, u16, f32/);
    expect(() => fromPlanar(Tensor.cpu('u8', [6, 1, 1]))).toThrow(/1 to 4 channels/);
  });
});
