import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { COORDINATE_TRANSFORMS } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { gpuForTests } from '../node/testing/index.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { resizeNearest, resizeNearestOnDevice } from './resize-nearest.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

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

it('rounds float32 near-midpoints down as ONNX Runtime does, whichever side of the midpoint the noise lands', () => {
  // 14 → 17 half_pixel, output 8: (8.5 / (17/14)) − 0.5 is 6.500000000000001 in float64 but
  // exactly 6.5 in float32 (the scale 17/14 rounded to float32 first), a tie: source 6, not 7.
  const ramp = (n: number) => Tensor.cpu('u8', [1, n], Array.from({ length: n }, (_, i) => i));
  expect(resizeNearest(ramp(14), { height: 1, width: 17 }).data[8]).toBe(6);
  // 7 → 34 asymmetric, output 17: 17 / (34/7) is 3.5000000000000004 in float64, 3.5 in float32: source 3.
  expect(resizeNearest(ramp(7), { height: 1, width: 34, coordinateTransform: 'asymmetric' }).data[17]).toBe(3);
  // 14 → 19 half_pixel, output 9: exactly 6.5, but 6.5000005 in float32 (one ulp up): still a tie, source 6.
  expect(resizeNearest(ramp(14), { height: 1, width: 19 }).data[9]).toBe(6);
  // 28 → 62 half_pixel, output 46: exactly 20.5, but 20.500002 in float32 (2e-6 up): past the tie, source 21.
  expect(resizeNearest(ramp(28), { height: 1, width: 62 }).data[46]).toBe(21);
});

/** Every in/out size pair 1..MAX_SIZE along both axes, for each coordinate transform. */
const MAX_SIZE = 48;
/** Index image: pixel (r, c) holds r · STRIDE + c, so the source row and column ORT copied are read back from each output value. */
const STRIDE = 64;

it(`picks the source pixel ONNX Runtime's Resize (nearest, round_prefer_floor) picks, for every size pair 1..${MAX_SIZE} → 1..${MAX_SIZE} and every coordinate transform`, async () => {
  const runtime = await createOrtNodeRuntime();
  const mismatches: string[] = [];
  for (const coordinateTransform of COORDINATE_TRANSFORMS) {
    // One model per transform: symbolic input dims, the output size fed at run time.
    const g = new OnnxGraphBuilder(`resize-nearest-${coordinateTransform}`, { opset: 13 });
    const x = g.input('x', 'float32', ['in_height', 'in_width']);
    const sizes = g.input('sizes', 'int64', [2]);
    g.output(g.resize(x, sizes, { mode: 'nearest', coordinateTransform, name: 'resized' }), 'y', ['height', 'width']);
    const session = await runtime.createSession(g.toBytes(), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    try {
      // Rows sweep (inSize → outSize) while columns sweep the mirrored pair, so both axes see every
      // pair and each run also mixes two different scales.
      for (let inSize = 1; inSize <= MAX_SIZE; inSize++) {
        for (let outSize = 1; outSize <= MAX_SIZE; outSize++) {
          const [inHeight, inWidth, height, width] = [inSize, MAX_SIZE + 1 - inSize, outSize, MAX_SIZE + 1 - outSize];
          const image = new Float32Array(inHeight * inWidth);
          for (let r = 0; r < inHeight; r++) for (let c = 0; c < inWidth; c++) image[r * inWidth + c] = r * STRIDE + c;
          const { y } = await session.run({
            x: { type: 'float32', dims: [inHeight, inWidth], data: image },
            sizes: { type: 'int64', dims: [2], data: BigInt64Array.of(BigInt(height), BigInt(width)) },
          });
          expect(y!.dims).toEqual([height, width]);
          const ort = y!.data as Float32Array;
          const ours = resizeNearest(Tensor.cpu('f32', [inHeight, inWidth], image), { height, width, coordinateTransform }).data;
          const ortRows = Array.from({ length: height }, (_, r) => Math.floor(ort[r * width]! / STRIDE));
          const ortCols = Array.from({ length: width }, (_, c) => ort[c]! % STRIDE);
          const ourRows = Array.from({ length: height }, (_, r) => Math.floor(ours[r * width]! / STRIDE));
          const ourCols = Array.from({ length: width }, (_, c) => ours[c]! % STRIDE);
          if (ortRows.join() !== ourRows.join()) mismatches.push(`${coordinateTransform} rows ${inHeight} → ${height}: ORT [${ortRows.join()}], ours [${ourRows.join()}]`);
          if (ortCols.join() !== ourCols.join()) mismatches.push(`${coordinateTransform} cols ${inWidth} → ${width}: ORT [${ortCols.join()}], ours [${ourCols.join()}]`);
          if (mismatches.length === 0 && !Array.from(ort).every((v, i) => v === ours[i])) {
            mismatches.push(`${coordinateTransform} ${inHeight}×${inWidth} → ${height}×${width}: the images differ beyond the first row and column`);
          }
        }
      }
    } finally {
      await session.release();
    }
  }
  expect(mismatches).toEqual([]);
});

describe.each([
  ['cpu', new CpuDevice()],
  ['webgpu', gpu.device],
] as const)('resizeNearestOnDevice on %s', (_name, device) => {
  it.skipIf(device === undefined)('copies the pixels resizeNearest copies (same tables), f32 out, for random sizes, dtypes and transforms', async () => {
    const rng = new Rng(11);
    for (let k = 0; k < 24; k++) {
      const dtype = (['u8', 'u16', 'f32'] as const)[k % 3]!;
      const coordinateTransform = COORDINATE_TRANSFORMS[k % COORDINATE_TRANSFORMS.length]!;
      const shape = [rng.int(1, 3), rng.int(1, 40), rng.int(1, 40)];
      const size = { height: rng.int(1, 60), width: rng.int(1, 60), coordinateTransform };
      const x = Tensor.cpu(dtype, shape, Array.from({ length: shape[0]! * shape[1]! * shape[2]! }, () => rng.int(0, 255)));
      const out = await resizeNearestOnDevice(device!, device!.upload(x), size);
      expect(out.dtype).toBe('f32');
      expect(Array.from(await device!.read(out)), `${dtype} ${shape.join('×')} → ${size.height}×${size.width} ${coordinateTransform}`).toEqual(Array.from(resizeNearest(x, size).data));
    }
  });
});
