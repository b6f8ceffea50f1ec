import { expect, it } from 'vitest';
import { Tensor } from '../compute/tensor.js';
import { resizeNearest } from './resize-nearest.js';

it('nearest resize follows ONNX Resize (half_pixel, round_prefer_floor) and keeps values and dtype', () => {
  const x = Tensor.cpu('u16', [1, 2, 2], [10, 20, 30, 40]);
  // Upscale ×2: output o maps to (o + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → 0, 0, 1, 1.
  const up = resizeNearest(x, { height: 4, width: 4 });
  expect(up.dtype).toBe('u16');
  expect(Array.from(up.data)).toEqual([10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]);
  // 3 → 2 with asymmetric: o · 1.5 = 0, 1.5 → 0, 1 (a tie rounds down).
  const row = Tensor.cpu('u8', [1, 3], [1, 2, 3]);
  expect(Array.from(resizeNearest(row, { height: 1, width: 2, coordinateTransform: 'asymmetric' }).data)).toEqual([1, 2]);
  expect(() => resizeNearest(row, { height: 0, width: 2 })).toThrow(/height 0 must be a positive integer/);
});
