// Runs in the page: decodes images with the browser's decoder (createImageBitmap + OffscreenCanvas),
// and runs the one way in (decodeInput, DICOM through @cvf/medical) into preprocessing on the page's
// WebGPU adapter.
import {
  BrowserImageDecoder,
  createDevice,
  decodeInput,
  disposeDecodedInput,
  isDeviceImage,
  pipelineConfigSchema,
  preprocessImages,
  type DecodeImageOptions,
  type Device,
} from '@cvf/core';
import { dicomInputDecoder } from '@cvf/medical';

type PageError = { error: { code: string; message: string } };

/** What decodeInput gave, and the model input preprocessing made of it on the page's WebGPU device. */
export interface PageInput {
  readonly backend: string;
  readonly kind: 'device-image' | 'host-image';
  /** Where a device image's tensor lives; null for host images. */
  readonly location: 'cpu' | 'gpu' | null;
  /** `device.read` calls from decoding up to the model input (the read of the model input excluded). */
  readonly reads: number;
  readonly shape: number[];
  readonly input: number[];
}

declare global {
  interface Window {
    decodeImage(bytes: number[], options?: DecodeImageOptions): Promise<{ dtype: string; shape: number[]; data: number[] } | PageError>;
    decodeInputToModel(bytes: number[], mediaType: string | undefined, preprocess: Record<string, unknown>): Promise<PageInput | PageError>;
  }
}

const decoder = new BrowserImageDecoder();

function pageError(error: unknown): PageError {
  const { code, message } = error as { code: string; message: string };
  return { error: { code, message } };
}

window.decodeImage = async (bytes, options) => {
  try {
    const image = await decoder.decode(Uint8Array.from(bytes), options);
    return { dtype: image.dtype, shape: [...image.shape], data: Array.from(image.data) };
  } catch (error) {
    return pageError(error);
  }
};

let device: Promise<Device> | undefined;

window.decodeInputToModel = async (bytes, mediaType, preprocess) => {
  // Headless Chromium's adapter is SwiftShader, a software one: taken on purpose here.
  const gpu = await (device ??= createDevice({ prefer: 'webgpu' }));
  const read = gpu.read.bind(gpu);
  let reads = 0;
  gpu.read = ((tensor) => (reads++, read(tensor))) as Device['read'];
  try {
    const config = pipelineConfigSchema.shape.preprocess.parse(preprocess);
    const decoded = await decodeInput(Uint8Array.from(bytes), mediaType, { device: gpu, decoder, dicom: dicomInputDecoder, window: config.window });
    const location = isDeviceImage(decoded) ? decoded.planar.location : null;
    const batch = await preprocessImages(gpu, [decoded], config);
    const seen = reads;
    const input = Array.from(await read(batch));
    const result: PageInput = { backend: gpu.backend, kind: location ? 'device-image' : 'host-image', location, reads: seen, shape: [...batch.shape], input };
    batch.dispose();
    disposeDecodedInput(decoded);
    return result;
  } catch (error) {
    return pageError(error);
  } finally {
    gpu.read = read;
  }
};
