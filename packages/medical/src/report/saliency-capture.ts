import { sequenceElement, textElement, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { createSecondaryCapture } from '../writer/secondary-capture.js';
import { randomUid } from '../writer/uid.js';
import { withCharacterSet } from './character-set.js';
import { referencedSopItem } from './content-item.js';
import { dicomDateTime, type ReportAlgorithm } from './report-content.js';
import type { SourceStudy } from './source-study.js';

export interface SaliencyCaptureOptions {
  readonly source: SourceStudy;
  /** The image with the overlay burnt in: 8-bit RGB interleaved, rows × columns × 3 (see `burnSaliencyOverlay`). */
  readonly rgb: Uint8Array;
  readonly rows: number;
  readonly columns: number;
  readonly algorithm: ReportAlgorithm;
  /** The class the overlay explains. */
  readonly label: string;
  readonly seriesInstanceUID?: string;
  readonly sopInstanceUID?: string;
  readonly seriesNumber?: number;
  readonly time?: Date;
}

/**
 * An RGB Secondary Capture of the source image with its saliency overlay burnt in: the source's
 * patient/study modules, a new series and instance, Image Type DERIVED\SECONDARY, Burned In
 * Annotation YES (the overlay is in the pixels), and the source named in the Source Image
 * Sequence. Write it with `writeDicom`.
 */
export function createSaliencyCapture(options: SaliencyCaptureOptions): Dataset {
  const { source, algorithm } = options;
  const { date, time } = dicomDateTime(options.time ?? new Date());
  const reference = source.reference;
  const extra: Dataset = [
    ...source.patientStudy,
    textElement(tag(0x0008, 0x0008), 'CS', 'DERIVED', 'SECONDARY'),
    textElement(tag(0x0008, 0x0012), 'DA', date),
    textElement(tag(0x0008, 0x0013), 'TM', time),
    textElement(tag(0x0008, 0x0023), 'DA', date),
    textElement(tag(0x0008, 0x0033), 'TM', time),
    textElement(tag(0x0008, 0x0070), 'LO', 'CV Factory'),
    textElement(tag(0x0008, 0x103e), 'LO', `${algorithm.name} saliency`.slice(0, 64)),
    textElement(tag(0x0008, 0x2111), 'ST', `Occlusion saliency of "${options.label}" by ${algorithm.name} ${algorithm.version} burnt over the model's input`.slice(0, 1024)),
    sequenceElement(tag(0x0008, 0x2112), [referencedSopItem(reference)]),
    textElement(tag(0x0018, 0x1020), 'LO', `${algorithm.name} ${algorithm.version}`.slice(0, 64)),
    textElement(tag(0x0020, 0x0011), 'IS', String(options.seriesNumber ?? 902)),
    textElement(tag(0x0028, 0x0301), 'CS', 'YES'),
  ];
  return withCharacterSet(createSecondaryCapture({
    rows: options.rows,
    columns: options.columns,
    pixels: options.rgb,
    photometric: 'RGB',
    seriesUID: options.seriesInstanceUID ?? randomUid(),
    sopInstanceUID: options.sopInstanceUID ?? randomUid(),
    studyUID: reference.studyInstanceUID,
    extra,
  }));
}
