import type { KernelCase, KernelCases } from '../../kernel.js';
import { orbBrief } from './orb-brief.js';

/** A 9×9 image of 10·x + y: brighter to the right, and by a little downwards. */
const RAMP = Array.from({ length: 81 }, (_, p) => 10 * (p % 9) + Math.floor(p / 9));
/** 32 tests alternating "left darker than right" (even t) and its reverse (odd t). */
const LEFT_RIGHT = Array.from({ length: 32 }, (_, t) => (t % 2 === 0 ? [-1, 0, 1, 0] : [1, 0, -1, 0])).flat();
const EVEN_BITS = 0x55555555;
const ODD_BITS = 0xaaaaaaaa | 0;

export const orbBriefCases: KernelCases<Record<string, never>> = {
  kernel: orbBrief,
  cases: [
    {
      // Direction 64 (90°, y down) turns "left/right" into "above/below", still darker first on
      // this ramp; 128 and 192 turn it the other way round.
      name: 'the pattern turns with the keypoint direction',
      inputs: {
        image: { shape: [1, 9, 9], dtype: 'f32', data: RAMP },
        keypoints: { shape: [4, 3], dtype: 'i32', data: [0, 4, 4, 0, 4, 4, 0, 4, 4, 0, 4, 4] },
        directions: { shape: [4], dtype: 'i32', data: [0, 64, 128, 192] },
        pattern: { shape: [32, 4], dtype: 'i32', data: LEFT_RIGHT },
      },
      attrs: {},
      expected: { out: [EVEN_BITS, EVEN_BITS, ODD_BITS, ODD_BITS] },
    },
    {
      name: 'a flat image sets no bit (equal is not darker), 64 tests give two words',
      inputs: {
        image: { shape: [1, 9, 9], dtype: 'f32', data: new Array<number>(81).fill(30) },
        keypoints: { shape: [1, 3], dtype: 'i32', data: [0, 4, 4] },
        directions: { shape: [1], dtype: 'i32', data: [17] },
        pattern: { shape: [64, 4], dtype: 'i32', data: [...LEFT_RIGHT, ...LEFT_RIGHT] },
      },
      attrs: {},
      expected: { out: [0, 0] },
    },
    {
      // At (0, 4) the point left of the keypoint reads the edge column, the keypoint's own pixel:
      // not darker (reading on into the row above would be); the point right of it is brighter.
      // The image index 3 reads the batch's last (only) image.
      name: 'points outside the image take the edge pixel; image indices are clamped',
      inputs: {
        image: { shape: [1, 9, 9], dtype: 'f32', data: RAMP },
        keypoints: { shape: [1, 3], dtype: 'i32', data: [3, 0, 4] },
        directions: { shape: [1], dtype: 'i32', data: [0] },
        pattern: { shape: [32, 4], dtype: 'i32', data: Array.from({ length: 32 }, (_, t) => (t % 2 === 0 ? [0, 0, -1, 0] : [0, 0, 1, 0])).flat() },
      },
      attrs: {},
      expected: { out: [ODD_BITS] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    for (let c = 0; c < 2; c++) {
      const [n, height, width] = [rng.int(1, 3), rng.int(20, 50), rng.int(20, 50)];
      // Few levels, so tests tie; keypoints anywhere, some near the border; directions past 255 wrap.
      const image = Array.from({ length: n * height * width }, () => rng.int(0, 5) * 50);
      const tests = 32 * rng.int(1, 8);
      const pattern = Array.from({ length: tests * 4 }, () => rng.int(-13, 13));
      const count = rng.int(1, 120);
      const keypoints: number[] = [];
      const directions: number[] = [];
      for (let k = 0; k < count; k++) {
        keypoints.push(rng.int(0, n - 1), rng.int(0, width - 1), rng.int(0, height - 1));
        directions.push(rng.int(-20, 300));
      }
      cases.push({
        name: `random ${count} keypoints × ${tests} tests on [${n}, ${height}, ${width}]`,
        inputs: {
          image: { shape: [n, height, width], dtype: 'f32', data: image },
          keypoints: { shape: [count, 3], dtype: 'i32', data: keypoints },
          directions: { shape: [count], dtype: 'i32', data: directions },
          pattern: { shape: [tests, 4], dtype: 'i32', data: pattern },
        },
        attrs: {},
      });
    }
    return cases;
  },
};
