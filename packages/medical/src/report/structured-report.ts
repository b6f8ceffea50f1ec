import { DicomWriteError } from '@cvf/core';
import { sequenceElement, textElement, type DataElement, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { randomUid } from '../writer/uid.js';
import { withCharacterSet } from './character-set.js';
import { CVF_CODING_SCHEME, DECISION_CODES, labelConcept, REPORT_CODES as C } from './coded-concept.js';
import { codeContentItem, containerBody, containerItem, imageContentItem, numContentItem, textContentItem } from './content-item.js';
import { dicomDateTime, type ReportAlgorithm, type ReportDecision, type ReportFinding } from './report-content.js';
import type { SourceImageReference, SourceStudy } from './source-study.js';

/** Comprehensive SR Storage (PS3.4 B.5). */
export const COMPREHENSIVE_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.33';

export interface PredictionReportOptions {
  /** The source image's patient/study (as read, or de-identified) and its reference. */
  readonly source: SourceStudy;
  readonly finding: ReportFinding;
  readonly decision?: ReportDecision;
  readonly algorithm: ReportAlgorithm;
  /** A derived image of the same study to list as evidence (the saliency overlay capture). */
  readonly saliencyImage?: SourceImageReference;
  readonly seriesInstanceUID?: string;
  readonly sopInstanceUID?: string;
  readonly seriesNumber?: number;
  /** Content date and time; default now. */
  readonly time?: Date;
}

const MANUFACTURER = 'CV Factory';

/** One study's evidence (Hierarchical SOP Instance Reference Macro, PS3.3 C.17.2.1): study → series → instance. */
function evidenceItem(image: SourceImageReference): Dataset {
  return [
    textElement(tag(0x0020, 0x000d), 'UI', image.studyInstanceUID),
    sequenceElement(tag(0x0008, 0x1115), [
      [
        textElement(tag(0x0020, 0x000e), 'UI', image.seriesInstanceUID),
        sequenceElement(tag(0x0008, 0x1199), [[textElement(tag(0x0008, 0x1150), 'UI', image.sopClassUID), textElement(tag(0x0008, 0x1155), 'UI', image.sopInstanceUID)]]),
      ],
    ]),
  ];
}

/** The Measurement Group: finding, probability, decision, with the algorithm that made them as concept modifiers. */
function measurementGroup(finding: ReportFinding, decision: ReportDecision | undefined, algorithm: ReportAlgorithm): Dataset {
  const children: Dataset[] = [
    textContentItem('HAS CONCEPT MOD', C.algorithmName, algorithm.name),
    textContentItem('HAS CONCEPT MOD', C.algorithmVersion, algorithm.version),
    ...(algorithm.configHash === undefined ? [] : [textContentItem('HAS CONCEPT MOD', C.algorithmParameters, `configHash=${algorithm.configHash}`)]),
    codeContentItem('CONTAINS', C.finding, labelConcept(finding.label)),
    numContentItem('CONTAINS', C.probability, finding.probability, C.noUnits),
  ];
  if (decision) {
    if (decision.threshold !== undefined) children.push(numContentItem('CONTAINS', C.operatingThreshold, decision.threshold, C.noUnits));
    const reasons = (decision.reasons ?? []).map((reason) => textContentItem('INFERRED FROM', C.decisionReason, reason));
    children.push(codeContentItem('CONTAINS', C.recommendation, DECISION_CODES[decision.outcome], reasons));
  }
  return containerItem('CONTAINS', C.measurementGroup, children);
}

function checkProbability(what: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) throw new DicomWriteError(`${what} ${value} must be a number in 0..1`);
}

/**
 * A Comprehensive SR of one prediction, shaped after TID 1500 (Imaging Measurement Report) without
 * claiming it: language and device observer context, an Image Library with the source image (and
 * the saliency capture), and one Measurement Group with the predicted class as a coded Finding
 * (99CVF codes for model labels), its probability (NUM, UCUM "1"), the decision as a
 * Recommendation with its threshold and reasons, and the algorithm name/version/config hash. The
 * source's patient/study modules are copied; the series and instance are new. Write it with `writeDicom`.
 */
export function createPredictionReport(options: PredictionReportOptions): Dataset {
  const { source, finding, decision, algorithm, saliencyImage } = options;
  checkProbability('the finding probability', finding.probability);
  // A threshold above 1 is an operating point that never calls the class (no score reached its target).
  if (decision?.threshold !== undefined && !(Number.isFinite(decision.threshold) && decision.threshold >= 0)) throw new DicomWriteError(`the operating threshold ${decision.threshold} must be a number ≥ 0`);
  if (decision && !(decision.outcome in DECISION_CODES)) throw new DicomWriteError(`decision outcome "${decision.outcome}" is not one of ${Object.keys(DECISION_CODES).join(', ')}`);
  if (finding.label === '') throw new DicomWriteError('the finding has an empty label; a coded finding needs the class label');
  const { date, time } = dicomDateTime(options.time ?? new Date());
  const reference = source.reference;

  const library = containerItem('CONTAINS', C.imageLibrary, [
    containerItem('CONTAINS', C.imageLibraryGroup, [
      imageContentItem('CONTAINS', reference),
      ...(saliencyImage ? [imageContentItem('CONTAINS', saliencyImage, C.saliencyMap)] : []),
    ]),
  ]);
  const content: Dataset[] = [
    codeContentItem('HAS CONCEPT MOD', C.language, C.english),
    codeContentItem('HAS OBS CONTEXT', C.observerType, C.device),
    textContentItem('HAS OBS CONTEXT', C.deviceObserverName, `${algorithm.name} ${algorithm.version}`),
    textContentItem('HAS OBS CONTEXT', C.deviceObserverManufacturer, MANUFACTURER),
    library,
    containerItem('CONTAINS', C.imagingMeasurements, [measurementGroup(finding, decision, algorithm)]),
  ];

  const own: DataElement[] = [
    textElement(tag(0x0008, 0x0012), 'DA', date),
    textElement(tag(0x0008, 0x0013), 'TM', time),
    textElement(tag(0x0008, 0x0016), 'UI', COMPREHENSIVE_SR_STORAGE),
    textElement(tag(0x0008, 0x0018), 'UI', options.sopInstanceUID ?? randomUid()),
    textElement(tag(0x0008, 0x0023), 'DA', date),
    textElement(tag(0x0008, 0x0033), 'TM', time),
    textElement(tag(0x0008, 0x0060), 'CS', 'SR'),
    textElement(tag(0x0008, 0x0070), 'LO', MANUFACTURER),
    sequenceElement(tag(0x0008, 0x0110), [
      [
        textElement(tag(0x0008, 0x0102), 'SH', CVF_CODING_SCHEME.designator),
        textElement(tag(0x0008, 0x0115), 'ST', CVF_CODING_SCHEME.name),
        textElement(tag(0x0008, 0x0116), 'ST', CVF_CODING_SCHEME.responsibleOrganization),
      ],
    ]),
    textElement(tag(0x0008, 0x103e), 'LO', `${algorithm.name} findings`.slice(0, 64)),
    sequenceElement(tag(0x0008, 0x1111), []),
    textElement(tag(0x0018, 0x1020), 'LO', `${algorithm.name} ${algorithm.version}`.slice(0, 64)),
    textElement(tag(0x0020, 0x000d), 'UI', reference.studyInstanceUID),
    textElement(tag(0x0020, 0x000e), 'UI', options.seriesInstanceUID ?? randomUid()),
    textElement(tag(0x0020, 0x0011), 'IS', String(options.seriesNumber ?? 901)),
    textElement(tag(0x0020, 0x0013), 'IS', '1'),
    textElement(tag(0x0040, 0xa491), 'CS', 'COMPLETE'),
    textElement(tag(0x0040, 0xa493), 'CS', 'UNVERIFIED'),
    sequenceElement(tag(0x0040, 0xa372), []),
    sequenceElement(tag(0x0040, 0xa375), [evidenceItem(reference)]),
    ...(saliencyImage ? [sequenceElement(tag(0x0040, 0xa385), [evidenceItem(saliencyImage)])] : []),
    ...containerBody(C.imagingMeasurementReport, content),
  ];
  // The source's Study Instance UID (in patientStudy too) is the one the SR goes under.
  const ownTags = new Set(own.map((e) => e.tag));
  return withCharacterSet([...source.patientStudy.filter((e) => !ownTags.has(e.tag)), ...own]);
}
