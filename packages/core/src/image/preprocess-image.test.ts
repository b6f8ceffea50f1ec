import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Device } from '../compute/device.js';
import { preprocessSchema } from '../config/sections/preprocess.js';
import { Tensor } from '../compute/tensor.js';
import { gpuForTests } from '../node/testing/index.js';
import { deviceImage } from './decoded-input.js';
import { imageTensor } from './image-tensor.js';
import { preprocessImage, preprocessImages } from './preprocess-image.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const devices: [string, Device | undefined][] = [
  ['cpu', new CpuDevice()],
  ['webgpu', gpu.device],
];

async function run(device: Device, image: Parameters<typeof preprocessImage>[1], config: unknown) {
  const out = await preprocessImage(device, image, preprocessSchema.parse(config));
  return { shape: out.shape, values: Array.from(await device.read(out)) };
}

function close(got: number[], want: number[], tolerance = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want[i]!))));
}

describe.each(devices)('preprocessImage on %s', (name, device) => {
  const skip = device === undefined;

  it.skipIf(skip)('resizes bilinearly (ONNX half_pixel) then normalizes, giving planar f32 [C, H, W]', async () => {
    // [[0, 4], [8, 12]] → 4×4: columns sample 0, 0.25, 0.75, 1 of the way: row + column ramps.
    const image = imageTensor('u8', { height: 2, width: 2, channels: 1 }, Uint8Array.from([0, 4, 8, 12]));
    const { shape, values } = await run(device!, image, { resize: { height: 4, width: 4 }, normalize: { scale: 1, mean: [2], std: [2] } });
    expect(shape).toEqual([1, 4, 4]);
    const rows = [0, 2, 6, 8];
    const cols = [0, 1, 3, 4];
    close(values, rows.flatMap((r) => cols.map((c) => (r + c - 2) / 2)));
  });

  it.skipIf(skip)('converts RGB to BT.601 gray and drops alpha, without resampling an image of the target size', async () => {
    const image = imageTensor('u8', { height: 1, width: 2, channels: 4 }, Uint8Array.from([255, 0, 0, 7, 10, 20, 30, 0]));
    const { shape, values } = await run(device!, image, { resize: { height: 1, width: 2 }, color: 'gray' });
    expect(shape).toEqual([1, 1, 2]);
    close(values, [(0.299 * 255) / 255, (0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255]);
  });

  it.skipIf(skip)('replicates gray into RGB and normalizes per channel (ImageNet statistics)', async () => {
    const image = imageTensor('u16', { height: 1, width: 2, channels: 1 }, Uint16Array.from([0, 51]));
    const normalize = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const { shape, values } = await run(device!, image, { resize: { height: 1, width: 2 }, color: 'rgb', normalize });
    expect(shape).toEqual([3, 1, 2]);
    close(values, [0, 1, 2].flatMap((c) => [0, 0.2].map((v) => (v - normalize.mean[c]!) / normalize.std[c]!)));
  });

  it.skipIf(skip)('nearest resize copies pixels (ONNX nearest) before the kernels', async () => {
    const image = imageTensor('u8', { height: 2, width: 2, channels: 3 }, Uint8Array.from([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]));
    const { shape, values } = await run(device!, image, { resize: { height: 4, width: 4, mode: 'nearest' }, normalize: { scale: 1 } });
    expect(shape).toEqual([1, 4, 4]);
    close(values, [10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]);
  });
});

it.skipIf(gpu.device === undefined)('WebGPU and the CPU agree on a random RGB image resized to 224×224 for an ImageNet embedder', async () => {
  const pixels = Uint8Array.from({ length: 37 * 53 * 3 }, (_, i) => (i * 7919) % 256);
  const image = imageTensor('u8', { height: 37, width: 53, channels: 3 }, pixels);
  const config = { resize: { height: 224, width: 224 }, color: 'rgb', normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } };
  const cpu = await run(new CpuDevice(), image, config);
  const webgpu = await run(gpu.device!, image, config);
  expect(webgpu.shape).toEqual([3, 224, 224]);
  close(webgpu.values, cpu.values, 1e-4);
});

/** A device image of `unit` values on `device`, and the host image an 8-bit path would give: f32 values × 255, interleaved. */
function unitImage(device: Device, channels: 1 | 3, height: number, width: number, seed: number) {
  const plane = height * width;
  const unit = Float32Array.from({ length: channels * plane }, (_, i) => ((i * 7919 + seed * 104729) % 1000) / 999);
  const interleaved = new Float32Array(unit.length);
  for (let c = 0; c < channels; c++) for (let p = 0; p < plane; p++) interleaved[p * channels + c] = unit[c * plane + p]! * 255;
  return {
    device: deviceImage(device.upload(Tensor.cpu('f32', [channels, height, width], unit)), 'unit'),
    host: imageTensor('f32', { height, width, channels }, interleaved),
  };
}

const DEVICE_IMAGE_CONFIGS = {
  'bilinear resize, gray': { resize: { height: 16, width: 12 }, normalize: { mean: [0.5], std: [0.25] } },
  'nearest resize (align_corners), gray → rgb': { resize: { height: 9, width: 31, mode: 'nearest', coordinateTransform: 'align_corners' }, color: 'rgb', normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } },
  'no resize, rgb → gray, scale 1': { resize: { height: 11, width: 7 }, normalize: { scale: 1, mean: [100], std: [50] } },
};

describe.each(devices)('a device image on %s', (name, device) => {
  const skip = device === undefined;

  it.skipIf(skip)('preprocesses as its 0..255 host image does, the range folded into the scale (1e-5)', async () => {
    for (const [what, config] of Object.entries(DEVICE_IMAGE_CONFIGS)) {
      for (const channels of [1, 3] as const) {
        const image = unitImage(device!, channels, 11, 7, channels);
        const got = await run(device!, image.device, config);
        const want = await run(device!, image.host, config);
        expect(got.shape, what).toEqual(want.shape);
        close(got.values, want.values);
      }
    }
  });

  it.skipIf(skip)('in a batch with host images of two sizes: each row is what preprocessing it alone gives, in order, on the device', async () => {
    const config = preprocessSchema.parse({ resize: { height: 8, width: 8, mode: 'nearest' }, normalize: { mean: [0.5], std: [0.5] } });
    const a = unitImage(device!, 1, 11, 7, 1);
    const b = unitImage(device!, 3, 5, 9, 2);
    const small = imageTensor('u8', { height: 4, width: 4, channels: 1 }, Uint8Array.from({ length: 16 }, (_, i) => i * 16));
    const batch = [a.host, a.device, small, b.device, b.host, small];
    const reads = spyReads(device!);
    const out = await preprocessImages(device!, batch, config);
    expect(reads.count, 'reads before the batch is handed back').toBe(0);
    expect(out.location).toBe(name === 'webgpu' ? 'gpu' : 'cpu');
    expect(out.shape).toEqual([6, 1, 8, 8]);
    const values = Array.from(await device!.read(out));
    for (const [i, image] of batch.entries()) {
      const alone = await run(device!, image, config);
      expect(values.slice(i * 64, (i + 1) * 64), `row ${i}`).toEqual(alone.values);
    }
    reads.restore();
  });
});

it.skipIf(gpu.device === undefined)('a device image made on the CPU is uploaded to a WebGPU device, and WebGPU agrees with the CPU (1e-5)', async () => {
  const cpu = new CpuDevice();
  const image = unitImage(cpu, 1, 13, 17, 3);
  const config = { resize: { height: 20, width: 6, mode: 'nearest' }, normalize: { mean: [0.5], std: [0.25] } };
  close((await run(gpu.device!, image.device, config)).values, (await run(cpu, image.device, config)).values);
});

/** Counts `device.read` calls until `restore`. */
function spyReads(device: Device): { count: number; restore(): void } {
  const original = device.read.bind(device);
  const spy = { count: 0, restore: () => void (device.read = original) };
  device.read = ((tensor) => {
    spy.count++;
    return original(tensor);
  }) as Device['read'];
  return spy;
}
