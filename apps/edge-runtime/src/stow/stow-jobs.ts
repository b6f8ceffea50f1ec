import { explainPrediction, planarUnitImage, type Device, type Prediction } from '@cvf/core';
import type { DecodedUpload } from '../decode/decode-upload.js';
import type { ServedModel } from '../models/served-model.js';
import type { UploadedFile } from '../v1/multipart.js';
import type { StowJob } from './result-stow.js';

/**
 * The DICOM uploads of a request with their predictions (PNG, JPEG and WebP have no study to report
 * into). With `capture`, each job also makes the overlay capture: the model input is copied now
 * (the upload is released with the request) and its saliency computed in the job's turn, on the
 * version that answered (held until then, so a hot reload does not release it first).
 */
export async function stowJobs(files: readonly UploadedFile[], uploads: readonly DecodedUpload[], predictions: readonly Prediction[], capture: { model: ServedModel; device: Device } | undefined): Promise<StowJob[]> {
  const jobs: StowJob[] = [];
  for (const [i, prediction] of predictions.entries()) {
    if (uploads[i]!.media !== 'application/dicom') continue;
    const job = { dicom: files[i]!.bytes, prediction };
    if (!capture) {
      jobs.push(job);
      continue;
    }
    const image = await planarUnitImage(capture.device, uploads[i]!.input);
    const held = capture.model.hold();
    jobs.push({
      ...job,
      saliency: async () => ({ image, map: await explainPrediction(capture.device, capture.model.predictor, image, prediction.decision.classIndex) }),
      done: () => held.release(),
    });
  }
  return jobs;
}
