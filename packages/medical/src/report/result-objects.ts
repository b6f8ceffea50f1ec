import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import type { DeidOptions } from '../deid/deidentify.js';
import { randomUid } from '../writer/uid.js';
import { writeDicom } from '../writer/write-dicom.js';
import type { ReportAlgorithm, ReportDecision, ReportFinding } from './report-content.js';
import { createSaliencyCapture } from './saliency-capture.js';
import { burnSaliencyOverlay, type OverlayBaseImage, type OverlayMap } from './saliency-overlay.js';
import { deidentifySourceStudy, readSourceStudy, type SourceImageReference } from './source-study.js';
import { createPredictionReport } from './structured-report.js';

const SECONDARY_CAPTURE_IMAGE = '1.2.840.10008.5.1.4.1.1.7';

export interface ResultObjectsOptions {
  /** The parsed source image. */
  readonly source: DicomDataSet;
  readonly finding: ReportFinding;
  readonly decision?: ReportDecision;
  readonly algorithm: ReportAlgorithm;
  /** The model's input image and its saliency map: with them, a Secondary Capture of the overlay is made too. */
  readonly saliency?: { readonly image: OverlayBaseImage; readonly map: OverlayMap };
  /** De-identify the copied patient/study and the references (Basic Profile; share `secret` with `cvf dicom deid`). */
  readonly deidentify?: DeidOptions;
  readonly time?: Date;
}

/** The Part 10 files of a prediction's results, and the source study they belong to. */
export interface ResultObjects {
  readonly report: Uint8Array;
  readonly capture?: Uint8Array;
  /** The (possibly de-identified) source image the results reference; `studyInstanceUID` is the study they go under. */
  readonly source: SourceImageReference;
}

/**
 * A prediction's results as DICOM Part 10 files: the SR, and with a saliency map the overlay
 * capture, which the SR lists in its Image Library and as other evidence. Both copy the source's
 * patient/study (de-identified when asked) and go in new series of the source study.
 */
export async function createResultObjects(options: ResultObjectsOptions): Promise<ResultObjects> {
  const read = readSourceStudy(options.source);
  const study = options.deidentify ? await deidentifySourceStudy(read, options.deidentify) : read;
  const time = options.time ?? new Date();
  const common = { source: study, algorithm: options.algorithm, time };
  let capture: Uint8Array | undefined;
  let saliencyImage: SourceImageReference | undefined;
  if (options.saliency) {
    const { image, map } = options.saliency;
    saliencyImage = { studyInstanceUID: study.reference.studyInstanceUID, seriesInstanceUID: randomUid(), sopClassUID: SECONDARY_CAPTURE_IMAGE, sopInstanceUID: randomUid() };
    const rgb = burnSaliencyOverlay(image, map);
    capture = writeDicom(
      createSaliencyCapture({ ...common, rgb, rows: image.height, columns: image.width, label: options.finding.label, seriesInstanceUID: saliencyImage.seriesInstanceUID, sopInstanceUID: saliencyImage.sopInstanceUID }),
    );
  }
  const report = writeDicom(createPredictionReport({ ...common, finding: options.finding, ...(options.decision && { decision: options.decision }), ...(saliencyImage && { saliencyImage }) }));
  return { report, ...(capture && { capture }), source: study.reference };
}
