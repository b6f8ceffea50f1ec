import { textElement, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';

/** A coded concept (PS3.3 8.8): code value, coding scheme designator, code meaning. */
export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/**
 * CV Factory's private coding scheme (PS3.16 8.1: designators starting "99" are private). It codes
 * what no standard code says: a model's class labels, its probability, its decision and the
 * operating threshold. The SR names it in its Coding Scheme Identification Sequence.
 */
export const CVF_CODING_SCHEME = {
  designator: '99CVF',
  name: 'CV Factory model outputs',
  responsibleOrganization: 'CV Factory',
} as const;

const code = (value: string, scheme: string, meaning: string): CodedConcept => ({ value, scheme, meaning });

/** The codes the prediction report uses: DICOM (DCM), UCUM, RFC 5646, and 99CVF for model outputs. */
export const REPORT_CODES = {
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  english: code('en', 'RFC5646', 'English'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceObserverUid: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUid: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  algorithmParameters: code('111002', 'DCM', 'Algorithm Parameters'),
  noUnits: code('1', 'UCUM', 'no units'),
  probability: code('PROBABILITY', CVF_CODING_SCHEME.designator, 'Model probability of the finding'),
  operatingThreshold: code('THRESHOLD', CVF_CODING_SCHEME.designator, 'Operating threshold of the finding'),
  decisionReason: code('REASON', CVF_CODING_SCHEME.designator, 'Reason for the decision'),
  saliencyMap: code('SALIENCY', CVF_CODING_SCHEME.designator, 'Saliency map of the finding'),
} as const;

/** Decision outcomes as 99CVF codes: the Recommendation of the report. */
export const DECISION_CODES = {
  positive: code('POSITIVE', CVF_CODING_SCHEME.designator, 'Finding present at the operating point'),
  negative: code('NEGATIVE', CVF_CODING_SCHEME.designator, 'Finding absent at the operating point'),
  class: code('CLASS', CVF_CODING_SCHEME.designator, 'Class decided by the model'),
  refer: code('REFER', CVF_CODING_SCHEME.designator, 'Refer to a clinician: the model is unsure'),
} as const;

export type DecisionOutcome = keyof typeof DECISION_CODES;

/** A class label as a 99CVF concept: the label is the code value and the meaning. */
export function labelConcept(label: string): CodedConcept {
  return code(label, CVF_CODING_SCHEME.designator, label);
}

/** Code Value is SH (16 characters); a longer one goes in Long Code Value (UC) instead (PS3.3 8.8). */
const SHORT_CODE_VALUE = 16;

/** A backslash separates values in SH, LO and UC: inside one value it becomes a slash. */
const oneValue = (text: string) => text.replaceAll('\\', '/');

/** The attributes of a Code Sequence item. Code Meaning is LO: 64 characters at most. */
export function codeItem(concept: CodedConcept): Dataset {
  const value = oneValue(concept.value);
  return [
    value.length > SHORT_CODE_VALUE ? textElement(tag(0x0008, 0x0119), 'UC', value) : textElement(tag(0x0008, 0x0100), 'SH', value),
    textElement(tag(0x0008, 0x0102), 'SH', concept.scheme),
    textElement(tag(0x0008, 0x0104), 'LO', oneValue(concept.meaning).slice(0, 64)),
  ];
}
