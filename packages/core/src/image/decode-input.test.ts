import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Tensor } from '../compute/tensor.js';
import { preprocessSchema } from '../config/sections/preprocess.js';
import { sharpImageDecoder } from '../node/image-decode-sharp.js';
import { decodeInput } from './decode-input.js';
import { deviceImage, type DecodedInput } from './decoded-input.js';
import type { DicomInputDecoder, DicomInputOptions } from './dicom-input-decoder.js';
import { encodePng } from './encode-png.js';
import { imageTensor } from './image-tensor.js';

const device = new CpuDevice();
const gray = imageTensor('u8', { height: 3, width: 5, channels: 1 }, Uint8Array.from({ length: 15 }, (_, i) => i * 17));

function dicomBytes(): Uint8Array {
  const bytes = new Uint8Array(200);
  bytes.set(new TextEncoder().encode('DICM'), 128);
  return bytes;
}

/** A stand-in for @cvf/medical's decoder: records what it was given and answers a device image. */
function recordingDicomDecoder(): DicomInputDecoder & { calls: { bytes: Uint8Array; options: DicomInputOptions }[] } {
  const calls: { bytes: Uint8Array; options: DicomInputOptions }[] = [];
  return {
    calls,
    decode: async (bytes, options) => {
      calls.push({ bytes, options });
      return deviceImage(Tensor.cpu('f32', [1, 2, 2], [0, 0.25, 0.5, 1]), 'unit');
    },
  };
}

describe('decodeInput', () => {
  it('PNG, sniffed or named, decodes through the image decoder to the host image it gives', async () => {
    const png = await encodePng(gray);
    for (const type of [undefined, 'image/png', 'IMAGE/PNG; q=1']) {
      const decoded = (await decodeInput(png, type, { device, decoder: sharpImageDecoder })) as typeof gray;
      expect([decoded.dtype, ...decoded.shape], String(type)).toEqual(['u8', 3, 5, 1]);
      expect(decoded.data).toEqual(gray.data);
    }
  });

  it('passes depth to the image decoder (16-bit PNG → u8)', async () => {
    const png = await encodePng(imageTensor('u16', { height: 1, width: 2, channels: 1 }, Uint16Array.from([257 * 3, 65535])));
    expect(((await decodeInput(png, undefined, { device, decoder: sharpImageDecoder })) as Tensor).dtype).toBe('u16');
    const eight = (await decodeInput(png, undefined, { device, decoder: sharpImageDecoder, depth: 8 })) as Tensor;
    expect([eight.dtype, ...eight.data]).toEqual(['u8', 3, 255]);
  });

  it('DICOM, sniffed by DICM or named, goes to the injected DICOM decoder with the device and the window', async () => {
    const dicom = recordingDicomDecoder();
    const window = preprocessSchema.parse({ window: { preset: 'ct-lung' } }).window;
    const decoded: DecodedInput = await decodeInput(dicomBytes(), undefined, { device, decoder: sharpImageDecoder, dicom, window });
    expect(decoded).toMatchObject({ kind: 'device-image', range: 'unit' });
    await decodeInput(new Uint8Array(10), 'application/dicom', { device, decoder: sharpImageDecoder, dicom });
    expect(dicom.calls.map((c) => [c.bytes.length, c.options.device === device, c.options.window])).toEqual([
      [200, true, window],
      [10, true, undefined],
    ]);
  });

  it('DICOM without a DICOM decoder, a media type without a decoder, and garbage are INPUT_UNSUPPORTED_MEDIA', async () => {
    const options = { device, decoder: sharpImageDecoder };
    await expect(decodeInput(dicomBytes(), undefined, options)).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining('@cvf/medical') });
    await expect(decodeInput(await encodePng(gray), 'image/tiff', options)).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining('"image/tiff"') });
    await expect(decodeInput(new TextEncoder().encode('%PDF-1.7 ...'), undefined, options)).rejects.toMatchObject({ code: 'INPUT_UNSUPPORTED_MEDIA' });
  });
});
