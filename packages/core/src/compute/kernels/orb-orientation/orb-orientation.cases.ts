import type { KernelCase, KernelCases } from '../../kernel.js';
import { orbOrientation } from './orb-orientation.js';

const SIDE = 31;

/** A SIDE×SIDE image, 200 where `bright(dx, dy)` holds around its centre (15, 15), else 0. */
function halfPlane(bright: (dx: number, dy: number) => boolean): number[] {
  return Array.from({ length: SIDE * SIDE }, (_, p) => (bright((p % SIDE) - 15, Math.floor(p / SIDE) - 15) ? 200 : 0));
}

export const orbOrientationCases: KernelCases<Record<string, never>> = {
  kernel: orbOrientation,
  cases: [
    {
      // Zero moments point nowhere: direction 0.
      name: 'a flat patch takes direction 0',
      inputs: { image: { shape: [1, SIDE, SIDE], dtype: 'f32', data: new Array<number>(SIDE * SIDE).fill(90) }, keypoints: { shape: [1, 3], dtype: 'i32', data: [0, 15, 15] } },
      attrs: {},
      expected: { out: [0] },
    },
    {
      // The centroid lies towards the bright half: right 0, below (y down) 64 (90°), left 128, above
      // 192; the bright half below the anti-diagonal has m10 = m01, 45°: direction 32.
      name: 'the direction points from the keypoint to the bright half of its patch',
      inputs: {
        image: {
          shape: [5, SIDE, SIDE],
          dtype: 'f32',
          data: [halfPlane((dx) => dx > 0), halfPlane((_, dy) => dy > 0), halfPlane((dx) => dx < 0), halfPlane((_, dy) => dy < 0), halfPlane((dx, dy) => dx + dy > 0)].flat(),
        },
        keypoints: { shape: [5, 3], dtype: 'i32', data: [0, 15, 15, 1, 15, 15, 2, 15, 15, 3, 15, 15, 4, 15, 15] },
      },
      attrs: {},
      expected: { out: [0, 64, 128, 192, 32] },
    },
    {
      // At (0, 15) the disc's left half reads the clamped edge column (dark, as the centre), its
      // right half the bright rest: direction 0 (reading on into the row above would brighten the
      // left half too). A keypoint index past the batch reads the last image (bright below: 64).
      name: 'samples outside the image take the edge pixel; image indices are clamped',
      inputs: {
        image: { shape: [2, SIDE, SIDE], dtype: 'f32', data: [halfPlane((dx) => dx > -15), halfPlane((_, dy) => dy > 0)].flat() },
        keypoints: { shape: [2, 3], dtype: 'i32', data: [0, 0, 15, 5, 15, 15] },
      },
      attrs: {},
      expected: { out: [0, 64] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    for (let c = 0; c < 2; c++) {
      const [n, height, width] = [rng.int(1, 3), rng.int(20, 60), rng.int(20, 60)];
      // Few intensity levels, so moments tie and land between directions; a few keypoints near the border.
      const image = Array.from({ length: n * height * width }, () => rng.int(0, 4) * 60 + rng.uniform(0, 1));
      const count = rng.int(1, 150);
      const keypoints: number[] = [];
      for (let k = 0; k < count; k++) keypoints.push(rng.int(0, n - 1), rng.int(0, width - 1), rng.int(0, height - 1));
      cases.push({ name: `random ${count} keypoints on [${n}, ${height}, ${width}]`, inputs: { image: { shape: [n, height, width], dtype: 'f32', data: image }, keypoints: { shape: [count, 3], dtype: 'i32', data: keypoints } }, attrs: {} });
    }
    return cases;
  },
};
