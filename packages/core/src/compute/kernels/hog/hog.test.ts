// HOG against a numpy re-implementation of scikit-image's `hog` (skimage itself is not installed):
// its gradients, `rad2deg(arctan2) % 180` orientations, hard binning `[i·w, (i+1)·w)`, cell means
// and L2-Hys blocks — plus the same with linear interpolation between bin centres.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuForTests, pythonModules, requireInCi, SYSTEM_PYTHON } from '../../../node/testing/index.js';
import { CpuDevice } from '../../cpu-device.js';
import type { Device } from '../../device.js';
import { Rng } from '../../random.js';
import { Tensor } from '../../tensor.js';
import { hog, hogFeatureLength, type HogAttrs } from './hog.js';

const numpyMissing = requireInCi('numpy (python3-numpy)', pythonModules('numpy'));

const SKIMAGE_HOG = `
import json, sys
import numpy as np
data = json.load(sys.stdin)

def hog(image, orientations, cell, block, linear, transform_sqrt):
    image = np.asarray(image, dtype=np.float64)
    if transform_sqrt:
        image = np.sqrt(image)
    g_row = np.zeros_like(image); g_row[1:-1, :] = image[2:, :] - image[:-2, :]
    g_col = np.zeros_like(image); g_col[:, 1:-1] = image[:, 2:] - image[:, :-2]
    magnitude = np.hypot(g_col, g_row)
    orientation = np.rad2deg(np.arctan2(g_row, g_col)) % 180
    (c_row, c_col), (b_row, b_col) = cell, block
    n_cells_row, n_cells_col = image.shape[0] // c_row, image.shape[1] // c_col
    width = 180.0 / orientations
    hist = np.zeros((n_cells_row, n_cells_col, orientations))
    for r in range(n_cells_row):
        for c in range(n_cells_col):
            mag = magnitude[r * c_row:(r + 1) * c_row, c * c_col:(c + 1) * c_col].ravel()
            ori = orientation[r * c_row:(r + 1) * c_row, c * c_col:(c + 1) * c_col].ravel()
            if linear:
                pos = ori / width - 0.5
                low = np.floor(pos)
                share = pos - low
                np.add.at(hist[r, c], (low % orientations).astype(int), (1 - share) * mag)
                np.add.at(hist[r, c], ((low + 1) % orientations).astype(int), share * mag)
            else:
                for i in range(orientations):
                    hist[r, c, i] = mag[(ori >= width * i) & (ori < width * (i + 1))].sum()
    hist /= c_row * c_col
    n_blocks_row, n_blocks_col = n_cells_row - b_row + 1, n_cells_col - b_col + 1
    blocks = np.zeros((n_blocks_row, n_blocks_col, b_row, b_col, orientations))
    eps = 1e-5
    for r in range(n_blocks_row):
        for c in range(n_blocks_col):
            b = hist[r:r + b_row, c:c + b_col, :]
            out = b / np.sqrt(np.sum(b ** 2) + eps ** 2)
            out = np.minimum(out, 0.2)
            blocks[r, c] = out / np.sqrt(np.sum(out ** 2) + eps ** 2)
    return blocks.ravel()

result = [hog(np.array(img).reshape(data['height'], data['width']), data['orientations'], data['cell'], data['block'], data['linear'], data['sqrt']).tolist() for img in data['images']]
json.dump(result, sys.stdout)
`;

interface Scenario {
  name: string;
  images: number;
  height: number;
  width: number;
  dtype: 'f32' | 'u8';
  pixels: (rng: Rng, r: number, c: number) => number;
  attrs: HogAttrs;
}

const SCENARIOS: Scenario[] = [
  {
    // A bright disc and a bar on a dark ramp: edges in every direction, scikit-image's defaults
    // (9 orientations, 8×8 cells, 3×3 blocks, nearest bin).
    name: 'shapes, scikit-image defaults',
    images: 2,
    height: 32,
    width: 40,
    dtype: 'f32',
    pixels: (rng, r, c) => 0.2 * (c / 40) + ((r - 15) ** 2 + (c - 18) ** 2 < 64 ? 0.7 : 0) + (r > 24 && c > 8 && c < 30 ? 0.4 : 0) + 0.01 * rng.next(),
    attrs: { binning: 'nearest' },
  },
  {
    name: '4-bit noise, 4×4 cells, 2×2 blocks, nearest bin',
    images: 3,
    height: 20,
    width: 17,
    dtype: 'u8',
    pixels: (rng) => rng.int(0, 15),
    attrs: { orientations: 9, cellSize: [4, 4], blockSize: [2, 2], binning: 'nearest' },
  },
  {
    name: 'smooth noise, linear interpolation, 6 orientations, 3×5 cells, square root',
    images: 2,
    height: 24,
    width: 26,
    dtype: 'f32',
    pixels: (rng, r, c) => 0.5 + 0.3 * Math.sin(r / 3 + c / 5) + 0.2 * rng.next(),
    attrs: { orientations: 6, cellSize: [3, 5], blockSize: [2, 3], binning: 'linear', transformSqrt: true },
  },
];

function makeImages(s: Scenario): number[][] {
  const rng = new Rng(s.height * 100 + s.width);
  return Array.from({ length: s.images }, () => Array.from({ length: s.height * s.width }, (_, i) => s.pixels(rng, Math.floor(i / s.width), i % s.width)));
}

function skimageReference(s: Scenario, images: number[][]): number[][] {
  const input = {
    images,
    height: s.height,
    width: s.width,
    orientations: s.attrs.orientations ?? 9,
    cell: s.attrs.cellSize ?? [8, 8],
    block: s.attrs.blockSize ?? [3, 3],
    linear: (s.attrs.binning ?? 'linear') === 'linear',
    sqrt: s.attrs.transformSqrt ?? false,
  };
  const run = spawnSync(SYSTEM_PYTHON, ['-c', SKIMAGE_HOG], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[][];
}

async function runHog(device: Device, s: Scenario, images: number[][]): Promise<Float32Array> {
  const flat = images.flat();
  const x = s.dtype === 'u8' ? Tensor.cpu('u8', [s.images, s.height, s.width], flat) : Tensor.cpu('f32', [s.images, s.height, s.width], flat);
  const { out } = await device.run(hog, { x }, s.attrs);
  expect(out.shape).toEqual([s.images, hogFeatureLength(s.height, s.width, s.attrs)]);
  return device.read(out) as Promise<Float32Array>;
}

function worst(got: ArrayLike<number>, want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  return want.reduce((w, v, i) => Math.max(w, Math.abs(got[i]! - v)), 0);
}

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

describe.skipIf(numpyMissing)('hog against a numpy port of scikit-image', () => {
  for (const s of SCENARIOS) {
    const images = makeImages(s);
    it(`cpu: ${s.name}`, async () => {
      const want = skimageReference(s, images).flat();
      expect(want.some((v) => v > 0.01)).toBe(true);
      expect(worst(await runHog(cpu, s, images), want)).toBeLessThan(1e-6);
    });
    it.skipIf(!gpu.device)(`webgpu: ${s.name}`, async () => {
      const want = skimageReference(s, images).flat();
      expect(worst(await runHog(gpu.device!, s, images), want)).toBeLessThan(1e-4);
    });
  }
});

describe('hog shapes and options', () => {
  it('gives [F] for one image and [n, F] for a batch, F = blocks × cells per block × orientations', () => {
    // 28×28 with 7×7 cells: 4×4 cells, 2×2 blocks of 3×3 cells → 4 blocks × 81 = 324.
    const attrs: HogAttrs = { cellSize: [7, 7] };
    expect(hog.outputs({ x: { shape: [28, 28], dtype: 'u8' } }, attrs).out.shape).toEqual([324]);
    expect(hog.outputs({ x: { shape: [5, 28, 28], dtype: 'f32' } }, attrs).out.shape).toEqual([5, 324]);
    expect(hogFeatureLength(28, 28, attrs)).toBe(324);
    // Pixels beyond the last whole cell are left out, as scikit-image does.
    expect(hogFeatureLength(31, 34, attrs)).toBe(324);
  });

  it('rejects images smaller than a block, bad sizes and unknown binning, naming the values', () => {
    const x = { shape: [2, 16, 16], dtype: 'f32' } as const;
    expect(() => hog.outputs({ x }, {})).toThrow(/an image of 16×16 has 2×2 cells of 8×8 pixels, fewer than one block of 3×3 cells/);
    expect(() => hog.outputs({ x }, { cellSize: [0, 4] })).toThrow(/cellSize rows 0 must be a positive integer/);
    expect(() => hog.outputs({ x }, { orientations: 2.5 })).toThrow(/orientations 2.5 must be a positive integer/);
    expect(() => hog.outputs({ x }, { binning: 'soft' as never })).toThrow(/binning "soft" is not one of linear, nearest/);
    expect(() => hog.outputs({ x }, { cellSize: [1, 1], blockSize: [10, 10], orientations: 11 })).toThrow(/has 1100 values; at most 1024/);
    expect(() => hog.outputs({ x: { shape: [2, 1, 16, 16], dtype: 'f32' } }, {})).toThrow(/must be one grayscale image \[height, width\] or a batch \[images, height, width\]/);
  });
});
