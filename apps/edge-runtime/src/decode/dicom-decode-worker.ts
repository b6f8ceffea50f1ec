import { CpuDevice, decodeInput, isDeviceImage, type InputContractFields, type InputWindow } from '@cvf/core';
import { sharpImageDecoder } from '@cvf/core/node';
import { dicomInputDecoder, parseDicom, Tag } from '@cvf/medical';
import { parentPort } from 'node:worker_threads';
import { assertPixelBudget } from './pixel-guard.js';

/** How to decode: the model's window and input contract, the pixel budget. */
export interface DicomDecodeSettings {
  readonly window: InputWindow | undefined;
  readonly contract: InputContractFields;
  readonly maxPixels: number;
}

/** A DICOM file to decode. */
export interface DicomDecodeJob extends DicomDecodeSettings {
  readonly id: number;
  readonly bytes: Uint8Array;
}

/** The decoded image as plain arrays (transferred, not copied), or the error as its code and message. */
export type DicomDecodeAnswer =
  | {
      readonly id: number;
      readonly ok: true;
      readonly kind: 'device-image' | 'host-image';
      readonly dtype: 'u8' | 'u16' | 'f32';
      readonly shape: number[];
      readonly data: Uint8Array | Uint16Array | Float32Array;
      readonly range: 'unit' | 'byte';
      readonly sopInstanceUid: string | undefined;
    }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string; readonly status: number | undefined };

// The DICOM codecs (JPEG, JPEG-LS, JPEG 2000, RLE) and the display pipeline run here, on the CPU
// device, so a large compressed file does not hold the server's event loop.
const device = new CpuDevice();

parentPort!.postMessage({ ready: true });
parentPort!.on('message', async (job: DicomDecodeJob) => {
  try {
    const file = parseDicom(job.bytes);
    assertPixelBudget(job.bytes, 'application/dicom', job.maxPixels, file);
    const input = await decodeInput(job.bytes, 'application/dicom', { device, decoder: sharpImageDecoder, dicom: dicomInputDecoder, contract: job.contract, ...(job.window && { window: job.window }) });
    const sopInstanceUid = file.string(Tag.SOPInstanceUID);
    const tensor = isDeviceImage(input) ? input.planar : input;
    const data = tensor.data as Uint8Array | Uint16Array | Float32Array;
    const answer: DicomDecodeAnswer = {
      id: job.id,
      ok: true,
      kind: isDeviceImage(input) ? 'device-image' : 'host-image',
      dtype: tensor.dtype as 'u8' | 'u16' | 'f32',
      shape: [...tensor.shape],
      data,
      range: isDeviceImage(input) ? input.range : 'byte',
      sopInstanceUid,
    };
    parentPort!.postMessage(answer, [data.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error as Error & { code?: string; status?: number };
    parentPort!.postMessage({ id: job.id, ok: false, name: e.name, code: e.code, message: e.message, status: e.status } satisfies DicomDecodeAnswer);
  }
});
