// Steering: BRIEF on a patch turned a quarter turn, with the pattern turned by the same 64
// directions, reads the same pixels and gives the same bits, on every backend.
import { afterAll, describe, expect, it } from 'vitest';
import { gpuForTests } from '../../../node/testing/index.js';
import { CpuDevice } from '../../cpu-device.js';
import type { Device } from '../../device.js';
import { Rng } from '../../random.js';
import { Tensor } from '../../tensor.js';
import { orbBrief } from './orb-brief.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const SIDE = 33;
const C = 16;
const rng = new Rng(7);
/** 256 seeded tests within radius 13, as ORB's pattern. */
const PATTERN = Int32Array.from({ length: 256 * 4 }, () => rng.int(-9, 9));
const IMAGE = Float32Array.from({ length: SIDE * SIDE }, () => rng.int(0, 255));

/** The image turned a quarter turn about (C, C) towards +y: the pixel at offset (dx, dy) moves to (−dy, dx). */
function quarterTurn(image: Float32Array): Float32Array {
  return Float32Array.from({ length: SIDE * SIDE }, (_, p) => image[(2 * C - (p % SIDE)) * SIDE + Math.floor(p / SIDE)]!);
}

async function describeAt(device: Device, image: Float32Array, directions: number[]): Promise<number[]> {
  const inputs = {
    image: device.upload(Tensor.cpu('f32', [1, SIDE, SIDE], image)),
    keypoints: device.upload(Tensor.cpu('i32', [directions.length, 3], directions.flatMap(() => [0, C, C]))),
    directions: device.upload(Tensor.cpu('i32', [directions.length], directions)),
    pattern: device.upload(Tensor.cpu('i32', [256, 4], PATTERN)),
  };
  const { out } = await device.run(orbBrief, inputs, {});
  const got = [...(await device.read(out))];
  for (const t of [...Object.values(inputs), out]) t.dispose();
  return got;
}

describe('orb-brief under rotation', () => {
  for (const [name, device] of [['cpu', cpu], ['webgpu', gpu.device]] as const) {
    it.skipIf(!device)(`${name}: a quarter-turned patch described 64 directions on gives the same bits`, async () => {
      const directions = [0, 5, 37, 100, 190, 250];
      const before = await describeAt(device!, IMAGE, directions);
      const after = await describeAt(device!, quarterTurn(IMAGE), directions.map((d) => d + 64));
      expect(after).toEqual(before);
      // Other directions read other pixels: the descriptors differ.
      expect(new Set(Array.from({ length: directions.length }, (_, k) => before.slice(k * 8, k * 8 + 8).join())).size).toBe(directions.length);
    });
  }
});
