import { CvfError, explainPrediction, planarUnitImage, type DecodedInput, type Device, type Prediction, type Predictor } from '@cvf/core';
import { readRegularFile } from '@cvf/core/node';
import { createResultObjects, parseDicom, reportContentOf, storeResultObjects, type DeidOptions, type DicomwebClient } from '@cvf/medical';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where `cvf predict` sends each DICOM file's results (`--sr` folder, `--stow` PACS), and whether the copied patient/study is de-identified. */
export interface ResultsTarget {
  readonly dir?: string;
  readonly stow?: DicomwebClient;
  readonly deidentify?: DeidOptions;
}

/** What became of one DICOM input's results: the files written, the study they were stored in — or why not. */
export type WrittenResults =
  | { readonly report?: string; readonly capture?: string; readonly storedInStudy?: string }
  | { readonly error: { readonly code: string; readonly message: string } };

const isPart10 = (bytes: Uint8Array) => bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/**
 * A DICOM input's results: the SR of its decision and an RGB Secondary Capture of the model's
 * input with the occlusion saliency of the decided class burnt in, written to `target.dir` as
 * `UID.sr.dcm` and `UID.sc.dcm` (UID: the source's SOP Instance UID) and/or stored in the source
 * study of `target.stow` with STOW-RS. Other images have no study to report into: undefined.
 */
export async function writePredictionResults(target: ResultsTarget, file: string, image: DecodedInput, prediction: Prediction, context: { device: Device; predictor: Predictor }): Promise<WrittenResults | undefined> {
  const bytes = await readRegularFile(file, { what: 'image' });
  if (!isPart10(bytes)) return undefined;
  try {
    const planar = await planarUnitImage(context.device, image);
    const map = await explainPrediction(context.device, context.predictor, planar, prediction.decision.classIndex);
    const results = await createResultObjects({
      source: parseDicom(bytes),
      ...reportContentOf(prediction),
      saliency: { image: planar, map },
      ...(target.deidentify && { deidentify: target.deidentify }),
    });
    let written: { report: string; capture: string } | undefined;
    if (target.dir !== undefined) {
      await mkdir(target.dir, { recursive: true });
      const stem = join(target.dir, results.source.sopInstanceUID);
      written = { report: `${stem}.sr.dcm`, capture: `${stem}.sc.dcm` };
      await writeFile(written.report, results.report);
      await writeFile(written.capture, results.capture!);
    }
    if (target.stow) await storeResultObjects(target.stow, results);
    return { ...written, ...(target.stow && { storedInStudy: results.source.studyInstanceUID }) };
  } catch (error) {
    // A source that cannot be reported on (no Study Instance UID, say) or a PACS that refuses is this file's result error; the prediction stands.
    if (error instanceof CvfError) return { error: { code: error.code, message: `${file}: ${error.message}` } };
    throw error;
  }
}
