import { readImageHeader, type InputMediaType } from '@cvf/core';
import { readImagePixelModule, type DicomFile } from '@cvf/medical';
import { HttpError } from '../http/http-error.js';

/**
 * Refuses (413) an image whose header declares more than `maxPixels` pixels, before any pixel is
 * decoded: PNG's IHDR, JPEG's SOF, WebP's VP8/VP8L/VP8X header, DICOM's Rows × Columns × Number
 * of Frames. A decompression bomb costs a header read, not gigabytes.
 */
export function assertPixelBudget(bytes: Uint8Array, media: InputMediaType, maxPixels: number, dicom?: DicomFile): void {
  let pixels: number;
  let what: string;
  if (media === 'application/dicom') {
    const module = readImagePixelModule(dicom!);
    pixels = module.rows * module.columns * module.numberOfFrames;
    what = `Rows ${module.rows} × Columns ${module.columns} × ${module.numberOfFrames} frames`;
  } else {
    const header = readImageHeader(bytes);
    pixels = header.width * header.height;
    what = `${header.width} × ${header.height}`;
  }
  if (pixels > maxPixels) {
    throw new HttpError(413, 'IMAGE_TOO_LARGE', `the ${media} header declares ${what} = ${pixels} pixels, over the limit of ${maxPixels} (--max-pixels)`);
  }
}
