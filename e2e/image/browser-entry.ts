// Runs in the page: decodes images with the browser's decoder (createImageBitmap + OffscreenCanvas).
import { BrowserImageDecoder, type DecodeImageOptions } from '@cvf/core';

declare global {
  interface Window {
    decodeImage(bytes: number[], options?: DecodeImageOptions): Promise<{ dtype: string; shape: number[]; data: number[] } | { error: { code: string; message: string } }>;
  }
}

const decoder = new BrowserImageDecoder();

window.decodeImage = async (bytes, options) => {
  try {
    const image = await decoder.decode(Uint8Array.from(bytes), options);
    return { dtype: image.dtype, shape: [...image.shape], data: Array.from(image.data) };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { error: { code, message } };
  }
};
