import { CvfError, explainPrediction, planarUnitImage, type DecodedInput, type Device, type Prediction, type Predictor } from '@cvf/core';
import { readRegularFile } from '@cvf/core/node';
import { createResultObjects, parseDicom, reportContentOf, type DeidOptions } from '@cvf/medical';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where `cvf predict --sr` writes, and whether the copied patient/study is de-identified. */
export interface ResultsFolder {
  readonly dir: string;
  readonly deidentify?: DeidOptions;
}

/** The files written for one DICOM input, or why none were. */
export type WrittenResults = { readonly report: string; readonly capture: string } | { readonly error: { readonly code: string; readonly message: string } };

const isPart10 = (bytes: Uint8Array) => bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/**
 * A DICOM input's results as DICOM files in `folder.dir`: the SR of its decision and an RGB
 * Secondary Capture of the model's input with the occlusion saliency of the decided class burnt
 * in, named by the source's SOP Instance UID (`UID.sr.dcm`, `UID.sc.dcm`). Other images have no
 * study to report into: undefined.
 */
export async function writePredictionResults(folder: ResultsFolder, file: string, image: DecodedInput, prediction: Prediction, context: { device: Device; predictor: Predictor }): Promise<WrittenResults | undefined> {
  const bytes = await readRegularFile(file, { what: 'image' });
  if (!isPart10(bytes)) return undefined;
  try {
    const planar = await planarUnitImage(context.device, image);
    const map = await explainPrediction(context.device, context.predictor, planar, prediction.decision.classIndex);
    const results = await createResultObjects({
      source: parseDicom(bytes),
      ...reportContentOf(prediction),
      saliency: { image: planar, map },
      ...(folder.deidentify && { deidentify: folder.deidentify }),
    });
    await mkdir(folder.dir, { recursive: true });
    const stem = join(folder.dir, results.source.sopInstanceUID);
    await writeFile(`${stem}.sr.dcm`, results.report);
    await writeFile(`${stem}.sc.dcm`, results.capture!);
    return { report: `${stem}.sr.dcm`, capture: `${stem}.sc.dcm` };
  } catch (error) {
    // A source that cannot be reported on (no Study Instance UID, say) is this file's result error; the prediction stands.
    if (error instanceof CvfError) return { error: { code: error.code, message: `${file}: ${error.message}` } };
    throw error;
  }
}
