import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuDevice } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { dicomInputDecoder } from '../dataset/dicom-input-decoder.js';
import { decodeFrames, parseDicom } from '../dicom/index.js';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { frameTensor, type FramePixels } from './frame-tensor.js';

const frame = (data: FramePixels) => ({ rows: 1, columns: 2, samplesPerPixel: 1, data: [data] });

describe('frameTensor', () => {
  it('gives every decoded dtype a dtype the kernels take, keeping the values', () => {
    const u32 = frameTensor(frame(Uint32Array.from([795000, 1254000])));
    expect([u32.dtype, [...u32.data]]).toEqual(['i32', [795000, 1254000]]);
    const big = frameTensor(frame(Uint32Array.from([0, 0xffffffff])));
    expect([big.dtype, [...big.data]]).toEqual(['f32', [0, 2 ** 32]]);
    const i8 = frameTensor(frame(Int8Array.from([-128, 127])));
    expect([i8.dtype, [...i8.data]]).toEqual(['i16', [-128, 127]]);
    const f64 = frameTensor(frame(Float64Array.from([-1.5, 2.25])));
    expect([f64.dtype, [...f64.data]]).toEqual(['f32', [-1.5, 2.25]]);
  });

  it('decodes the 32-bit RT dose image (u32 pixels) for prediction, as inspect reads it', async () => {
    const bytes = new Uint8Array(readFileSync(join(PYDICOM_CORPUS, 'rtdose_1frame.dcm')));
    const image = await decodeFrames(parseDicom(bytes));
    expect(image.data[0]).toBeInstanceOf(Uint32Array);
    const input = await dicomInputDecoder.decode(bytes, { device: new CpuDevice() });
    expect('kind' in input && input.kind).toBe('device-image');
    if (!('kind' in input)) return;
    const values = input.planar.data;
    // min–max: the smallest dose is 0, the largest 1.
    expect([input.planar.shape, Math.min(...values), Math.max(...values)]).toEqual([[1, 10, 10], 0, 1]);
  });
});
