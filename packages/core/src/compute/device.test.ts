import { afterAll, describe, expect, it, vi } from 'vitest';
import { CvfError } from '../errors.js';
import { gpuForTests } from '../node/testing/index.js';
import { nodeGpu } from '../node/webgpu.js';
import { CpuDevice } from './cpu-device.js';
import { createDevice, isSoftwareAdapter, requestWebGpu } from './create-device.js';
import { add, clamp, matmul, scale, softmax } from './kernels/index.js';
import { Tensor } from './tensor.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

describe('createDevice', () => {
  it('gives the CPU device when asked', async () => {
    expect((await createDevice({ prefer: 'cpu' })).backend).toBe('cpu');
  });

  it('fails with WEBGPU_UNAVAILABLE when WebGPU is required and there is no entry point', async () => {
    await expect(createDevice({ prefer: 'webgpu', gpu: null })).rejects.toMatchObject({ code: 'WEBGPU_UNAVAILABLE' });
  });

  it('falls back to the CPU on auto, and says why once', async () => {
    const log = vi.fn();
    const first = await createDevice({ prefer: 'auto', gpu: null, log });
    const second = await createDevice({ prefer: 'auto', gpu: null, log });
    expect([first.backend, second.backend]).toEqual(['cpu', 'cpu']);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toMatch(/WebGPU unavailable.*navigator\.gpu/);
  });
});

describe.skipIf(!gpu.device)('createDevice with a software adapter', () => {
  it('skips it on auto (the CPU path is faster), uses it when allowed or required', async () => {
    const raw = await nodeGpu();
    if (typeof raw === 'string') throw new Error(raw);
    const software = isSoftwareAdapter(gpu.device!.adapter);
    const log = vi.fn();
    const auto = await createDevice({ prefer: 'auto', gpu: raw, log });
    expect(auto.backend).toBe(software ? 'cpu' : 'webgpu');
    const allowed = await createDevice({ prefer: 'auto', gpu: raw, allowSoftwareAdapter: true });
    const required = await createDevice({ prefer: 'webgpu', gpu: raw });
    expect([allowed.backend, required.backend]).toEqual(['webgpu', 'webgpu']);
    [auto, allowed, required].forEach((d) => d.destroy());
  });
});

describe('kernel calls', () => {
  const cpu = new CpuDevice();

  it('reject missing inputs, wrong dtypes and bad shapes with a CvfError code', async () => {
    const a = Tensor.cpu('f32', [2, 3]);
    await expect(cpu.run(matmul, { a, b: Tensor.cpu('f32', [2, 3]) }, {})).rejects.toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/inner dimensions differ.*3 ≠ 2/) });
    await expect(cpu.run(add, { a, b: Tensor.cpu('i32', [3]) }, {})).rejects.toMatchObject({ code: 'DTYPE_UNSUPPORTED' });
    await expect(cpu.run(add, { a } as never, {})).rejects.toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringContaining('missing input "b"') });
    await expect(cpu.run(softmax, { x: a }, { axis: 2 })).rejects.toBeInstanceOf(CvfError);
  });

  it('Tensor rejects data that does not fill its shape', () => {
    expect(() => Tensor.cpu('f32', [2, 2], [1, 2, 3])).toThrow(/3 values do not fill shape \[2, 2\]/);
  });
});

describe.skipIf(!gpu.device)('WebGPU device', () => {
  it('keeps a chain of kernels on the GPU and reads once at the end', async () => {
    const device = gpu.device!;
    const x = device.upload(Tensor.cpu('u8', [2, 3], [0, 51, 102, 153, 204, 255]));
    const { out: scaled } = await device.run(scale, { x }, { alpha: 1 / 255 });
    const { out: shifted } = await device.run(add, { a: scaled, b: Tensor.cpu('f32', [3], [-0.5, -0.5, -0.5]) }, {});
    const { out: clipped } = await device.run(clamp, { x: shifted }, { min: 0, max: Infinity });
    expect([x, scaled, shifted, clipped].map((t) => t.location)).toEqual(['gpu', 'gpu', 'gpu', 'gpu']);
    expect(() => clipped.data).toThrow(/lives on the GPU/);
    const values = Array.from(await device.read(clipped));
    expect(values.map((v) => Number(v.toFixed(5)))).toEqual([0, 0, 0, 0.1, 0.3, 0.5]);
  });

  it('compiles a kernel once per variant, whatever the shapes', async () => {
    const device = gpu.device!;
    const run = (m: number, n: number) => device.run(matmul, { a: Tensor.cpu('f32', [m, 4]), b: Tensor.cpu('f32', [4, n]) }, {});
    await run(3, 5);
    const compiled = device.compiledPipelines;
    await run(70, 130);
    await run(1, 1);
    expect(device.compiledPipelines).toBe(compiled);
    await device.run(matmul, { a: Tensor.cpu('f32', [4, 3]), b: Tensor.cpu('f32', [4, 5]) }, { transposeA: true });
    expect(device.compiledPipelines).toBe(compiled + 1);
  });

  it('handles zero-size tensors without a dispatch', async () => {
    const { out } = await gpu.device!.run(add, { a: Tensor.cpu('f32', [0, 3]), b: Tensor.cpu('f32', [3]) }, {});
    expect(out.shape).toEqual([0, 3]);
    expect((await gpu.device!.read(out)).length).toBe(0);
  });

  it('reports a lost device with DEVICE_LOST instead of hanging or crashing', async () => {
    const raw = await nodeGpu();
    if (typeof raw === 'string') throw new Error(raw);
    const device = await requestWebGpu(raw);
    if (typeof device === 'string') throw new Error(device);
    const x = device.upload(Tensor.cpu('f32', [4], [1, 2, 3, 4]));
    device.gpu.destroy(); // what a driver reset looks like from the page
    await device.gpu.lost;
    await expect(device.run(scale, { x }, { alpha: 2 })).rejects.toMatchObject({ code: 'DEVICE_LOST', message: expect.stringContaining('create a new Device') });
    await expect(device.read(x)).rejects.toMatchObject({ code: 'DEVICE_LOST' });
  });
});
