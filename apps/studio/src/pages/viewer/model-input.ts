import { deviceImage, imageTensor, Tensor, type DecodedInput, type Device, type InputWindow } from '@cvf/core';
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

/** The input as one planar [channels, height, width] image on 0..1, as the explanations perturb it. */
export async function planarUnitImage(device: Device, input: DecodedInput): Promise<{ data: Float32Array; channels: number; height: number; width: number }> {
  if ('kind' in input && input.kind === 'device-image') {
    const [channels, height, width] = input.planar.shape as [number, number, number];
    const values = (await device.read(input.planar)) as Float32Array;
    return { data: input.range === 'unit' ? Float32Array.from(values) : values.map((v) => v / 255), channels, height, width };
  }
  const image = input as Tensor;
  const [height, width, stored] = image.shape as [number, number, number];
  // Alpha is not explained: gray+alpha keeps gray, RGBA keeps RGB.
  const channels = stored <= 2 ? 1 : 3;
  const scale = image.dtype === 'u16' ? 65535 : image.dtype === 'u8' ? 255 : 1;
  const data = new Float32Array(channels * height * width);
  const host = image.data;
  for (let c = 0; c < channels; c++) for (let p = 0; p < height * width; p++) data[c * height * width + p] = host[p * stored + c]! / scale;
  return { data, channels, height, width };
}
