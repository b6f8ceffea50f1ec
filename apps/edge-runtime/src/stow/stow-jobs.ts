import type { Prediction } from '@cvf/core';
import type { DecodedUpload } from '../decode/decode-upload.js';
import type { UploadedFile } from '../v1/multipart.js';
import type { StowJob } from './result-stow.js';

/** The DICOM uploads of a request with their predictions (PNG, JPEG and WebP have no study to report into). */
export function stowJobs(files: readonly UploadedFile[], uploads: readonly DecodedUpload[], predictions: readonly Prediction[]): StowJob[] {
  return predictions.flatMap((prediction, i) => (uploads[i]!.media === 'application/dicom' ? [{ dicom: files[i]!.bytes, prediction }] : []));
}
