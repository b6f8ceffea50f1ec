import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuDevice, decodeInput, disposeDecodedInput, pipelineConfigSchema, preprocessImages, readDecodedInput, type DecodedInput, type Device, type PreprocessConfig } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { gpuForTests } from '@cvf/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../dicom/decode-frames.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { createSecondaryCapture, lutItem, sequenceElement, tag, writeDicom } from '../writer/index.js';
import { dicomInputDecoder } from './dicom-input-decoder.js';
import { dicomSampleImage } from './dicom-sample-image.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const cpu = new CpuDevice();

const corpus = (name: string) => new Uint8Array(readFileSync(join(PYDICOM_CORPUS, name)));

/** A MONOCHROME1 image with a VOI LUT, which the corpus lacks: the table lookup runs on the host, its output through the kernel. */
const VOI_LUT_MONOCHROME1 = writeDicom(
  createSecondaryCapture({
    rows: 16,
    columns: 20,
    pixels: Uint16Array.from({ length: 320 }, (_, i) => (i * 13) % 24),
    photometric: 'MONOCHROME1',
    bitsStored: 12,
    rescale: { slope: 2, intercept: -10 },
    extra: [sequenceElement(tag(0x0028, 0x3010), [lutItem([8, -10, 10], [0, 100, 200, 300, 400, 500, 600, 700])])],
  }),
);

/** Files and windows: a CT preset on rescaled HU, the file's own window, min–max, a VOI LUT. */
const INPUTS: { name: string; bytes: () => Uint8Array; window: Record<string, unknown> }[] = [
  { name: 'CT_small.dcm, ct-lung', bytes: () => corpus('CT_small.dcm'), window: { preset: 'ct-lung' } },
  { name: 'MR_small.dcm, its own window', bytes: () => corpus('MR_small.dcm'), window: {} },
  { name: 'MR_small.dcm, min–max (fromFile: false)', bytes: () => corpus('MR_small.dcm'), window: { fromFile: false } },
  { name: 'MONOCHROME1 with a VOI LUT', bytes: () => VOI_LUT_MONOCHROME1, window: {} },
];

const PREPROCESS: Record<string, unknown>[] = [
  { resize: { height: 64, width: 64 }, normalize: { mean: [0.5], std: [0.25] } },
  { resize: { height: 50, width: 37, mode: 'nearest' }, color: 'rgb', normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } },
];

function config(window: Record<string, unknown>, preprocess: Record<string, unknown>): PreprocessConfig {
  return pipelineConfigSchema.shape.preprocess.parse({ ...preprocess, window });
}

async function decode(device: Device, bytes: Uint8Array, window?: PreprocessConfig['window']): Promise<DecodedInput> {
  return decodeInput(bytes, undefined, { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, ...(window && { window }) });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('DICOM through decodeInput (@cvf/medical decoder)', () => {
  it('a grayscale frame comes back windowed to 0..1 as a device image [1, rows, columns]; colour as its RGB samples on the host', async () => {
    const ct = await decode(cpu, corpus('CT_small.dcm'));
    expect(ct).toMatchObject({ kind: 'device-image', range: 'unit', planar: { shape: [1, 128, 128], dtype: 'f32' } });
    const rgb = await decode(cpu, corpus('SC_rgb_small_odd.dcm'));
    const decoded = await decodeFrames(parseDicom(corpus('SC_rgb_small_odd.dcm')));
    expect(rgb).toMatchObject({ dtype: 'u8', shape: [3, 3, 3] });
    expect((rgb as { data: Uint8Array }).data).toEqual(decoded.data[0]);
  });

  it('DICOM errors come through with their codes', async () => {
    await expect(decode(cpu, corpus('MR_small.dcm').subarray(0, 2000))).rejects.toMatchObject({ code: expect.stringMatching(/^DICOM_/) });
    await expect(decode(cpu, corpus('rtplan.dcm'))).rejects.toMatchObject({ code: expect.stringMatching(/^DICOM_/) });
  });

  it.skipIf(gpu.device === undefined)('CPU and WebGPU agree (window output within 1e-5; model input within 1e-4)', async () => {
    const worst = { window: 0, input: 0 };
    for (const input of INPUTS) {
      for (const preprocess of PREPROCESS) {
        const c = config(input.window, preprocess);
        const [onCpu, onGpu] = [await decode(cpu, input.bytes(), c.window), await decode(gpu.device!, input.bytes(), c.window)];
        worst.window = Math.max(worst.window, maxAbsDiff((await readDecodedInput(cpu, onCpu)).data, (await readDecodedInput(gpu.device!, onGpu)).data) / 255);
        const a = await cpu.read(await preprocessImages(cpu, [onCpu], c));
        const b = await gpu.device!.read(await preprocessImages(gpu.device!, [onGpu], c));
        worst.input = Math.max(worst.input, maxAbsDiff(a, b));
        disposeDecodedInput(onGpu);
      }
    }
    console.log(`DICOM decodeInput, CPU vs WebGPU: window ${worst.window.toExponential(2)}, model input ${worst.input.toExponential(2)}`);
    expect(worst.window).toBeLessThanOrEqual(1e-5);
    expect(worst.input).toBeLessThanOrEqual(1e-4);
  });

  it.skipIf(gpu.device === undefined)('on WebGPU nothing is read back between the window and the model input', async () => {
    const device = gpu.device!;
    const read = device.read.bind(device);
    let reads = 0;
    device.read = ((tensor) => (reads++, read(tensor))) as Device['read'];
    try {
      for (const input of INPUTS) {
        const c = config(input.window, PREPROCESS[1]!);
        const decoded = await decode(device, input.bytes(), c.window);
        expect(decoded).toMatchObject({ kind: 'device-image' });
        expect((decoded as { planar: { location: string } }).planar.location, input.name).toBe('gpu');
        const batch = await preprocessImages(device, [decoded, decoded], c);
        expect(batch.location).toBe('gpu');
        expect(reads, input.name).toBe(0);
        batch.dispose();
        disposeDecodedInput(decoded);
      }
    } finally {
      device.read = read;
    }
  });

  describe.each([
    ['cpu', cpu],
    ['webgpu', gpu.device],
  ] as const)('on %s', (name, device) => {
    it.skipIf(device === undefined)('the model input equals the old path (window → read back ×255 → upload ÷255) within 1e-5', async () => {
      let worst = 0;
      for (const input of INPUTS) {
        for (const preprocess of PREPROCESS) {
          const c = config(input.window, preprocess);
          // The old path: the sample image the datasets and `cvf predict` used (read back, ×255 on the host).
          const old = await dicomSampleImage(parseDicom(input.bytes()), { device: device!, window: c.window });
          const decoded = await decode(device!, input.bytes(), c.window);
          const want = await device!.read(await preprocessImages(device!, [old], c));
          const got = await device!.read(await preprocessImages(device!, [decoded], c));
          worst = Math.max(worst, maxAbsDiff(got, want));
          disposeDecodedInput(decoded);
        }
      }
      console.log(`DICOM decodeInput vs the old host path on ${name}: max |Δ| ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
    });
  });
});
