import { deviceImage, imageTensor, type DecodedInput, type Device, type InputWindow } from '@cvf/core';
import { frameTensor, toDisplay } from '@cvf/medical';
import type { DecodeClient } from '../../workers/decode-client.js';
import type { DecodedFrame } from '../../workers/decode-protocol.js';

/**
 * A decoded frame as the model's input — what `decodeInput` gives for the same file: a grayscale
 * DICOM frame through the display pipeline with the bundle's `preprocess.window` (not the user's
 * window) on the Device, where it stays; colour DICOM and PNG/JPEG as their interleaved samples.
 */
export async function modelInput(device: Device, decoder: DecodeClient, frame: DecodedFrame, window: InputWindow | null): Promise<DecodedInput> {
  const { rows, columns, samplesPerPixel, pixels } = frame;
  const params = samplesPerPixel === 1 ? await decoder.modelDisplay(frame.fileId, frame.frame, window) : null;
  if (params) {
    const shown = await toDisplay(device, frameTensor({ rows, columns, samplesPerPixel: 1, data: [pixels] }), params);
    return deviceImage(shown.reshape([1, rows, columns]), 'unit');
  }
  const size = { height: rows, width: columns, channels: samplesPerPixel as 1 | 2 | 3 | 4 };
  if (pixels instanceof Uint8Array) return imageTensor('u8', size, pixels);
  if (pixels instanceof Uint16Array) return imageTensor('u16', size, pixels);
  return imageTensor('f32', size, Float32Array.from(pixels));
}
