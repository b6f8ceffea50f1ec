// The orientation turns with the image: a patch turned by a quarter turn (an exact permutation of
// its pixels) gets the direction a quarter of the circle on (64 of 256), on every backend.
import { afterAll, describe, expect, it } from 'vitest';
import { gpuForTests } from '../../../node/testing/index.js';
import { CpuDevice } from '../../cpu-device.js';
import type { Device } from '../../device.js';
import { Rng } from '../../random.js';
import { Tensor } from '../../tensor.js';
import { orbOrientation } from './orb-orientation.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const SIDE = 41;
const C = 20;

/** Seeded blobs on 0..255: patches with an off-centre centroid. */
function blobs(seed: number): Float32Array {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 4 }, () => [rng.uniform(5, 35), rng.uniform(5, 35), rng.uniform(3, 9)] as const);
  return Float32Array.from({ length: SIDE * SIDE }, (_, p) => {
    const [x, y] = [p % SIDE, Math.floor(p / SIDE)];
    return Math.min(255, centres.reduce((v, [cx, cy, r]) => v + 200 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r)), 0));
  });
}

/** The image turned a quarter turn about (C, C) towards +y: the pixel at offset (dx, dy) moves to (−dy, dx). */
function quarterTurn(image: Float32Array): Float32Array {
  return Float32Array.from({ length: SIDE * SIDE }, (_, p) => image[(2 * C - (p % SIDE)) * SIDE + Math.floor(p / SIDE)]!);
}

async function directions(device: Device, images: Float32Array[]): Promise<number[]> {
  const image = device.upload(Tensor.cpu('f32', [images.length, SIDE, SIDE], Float32Array.from(images.flatMap((i) => [...i]))));
  const keypoints = device.upload(Tensor.cpu('i32', [images.length, 3], images.flatMap((_, n) => [n, C, C])));
  const { out } = await device.run(orbOrientation, { image, keypoints }, {});
  const got = [...(await device.read(out))];
  for (const t of [image, keypoints, out]) t.dispose();
  return got;
}

describe('orb-orientation under rotation', () => {
  for (const [name, device] of [['cpu', cpu], ['webgpu', gpu.device]] as const) {
    it.skipIf(!device)(`${name}: a quarter turn of the patch adds 64 directions (±1: the moments' shift rounds down)`, async () => {
      const images = [1, 2, 3, 4, 5, 6].map(blobs);
      const turned = images.map(quarterTurn);
      const [before, after] = [await directions(device!, images), await directions(device!, turned)];
      expect(new Set(before).size).toBeGreaterThan(3);
      before.forEach((d, i) => {
        const step = (((after[i]! - d - 64) % 256) + 256 + 128) % 256 - 128;
        expect(Math.abs(step), `image ${i}: ${d} → ${after[i]}`).toBeLessThanOrEqual(1);
      });
    });
  }
});
