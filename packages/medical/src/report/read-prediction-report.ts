import { DicomError } from '@cvf/core';
import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import { Tag } from '../dicom/tags.js';
import { DECISION_CODES, REPORT_CODES as C, type CodedConcept, type DecisionOutcome } from './coded-concept.js';
import type { ReportAlgorithm, ReportDecision, ReportFinding } from './report-content.js';
import type { SourceImageReference } from './source-study.js';
import { COMPREHENSIVE_SR_STORAGE } from './structured-report.js';

/** A prediction report as read back from its DICOM: what `createPredictionReport` wrote. */
export interface PredictionReportContent {
  readonly finding: ReportFinding;
  readonly decision?: ReportDecision;
  readonly algorithm: ReportAlgorithm;
  readonly studyInstanceUID: string;
  /** The images of the Image Library: the source first, then the saliency capture when there is one. */
  readonly images: readonly { readonly sopClassUID: string; readonly sopInstanceUID: string; readonly frame?: number; readonly saliency: boolean }[];
  /** Current Requested Procedure Evidence: the source image. */
  readonly evidence: readonly Omit<SourceImageReference, 'sopClassUID'>[];
}

const T = {
  relationshipType: '0040A010',
  valueType: '0040A040',
  conceptName: '0040A043',
  conceptCode: '0040A168',
  textValue: '0040A160',
  measuredValue: '0040A300',
  numericValue: '0040A30A',
  content: '0040A730',
  referencedSop: '00081199',
  referencedSopClass: '00081150',
  referencedSopInstance: '00081155',
  referencedSeries: '00081115',
  evidence: '0040A375',
} as const;

function concept(item: DicomDataSet | undefined): CodedConcept | undefined {
  if (!item) return undefined;
  const value = item.string('00080100') ?? item.string('00080119');
  const scheme = item.string('00080102');
  return value === undefined || scheme === undefined ? undefined : { value, scheme, meaning: item.string('00080104') ?? '' };
}

const same = (a: CodedConcept | undefined, b: CodedConcept) => a !== undefined && a.value === b.value && a.scheme === b.scheme;
const nameOf = (item: DicomDataSet) => concept(item.sequence(T.conceptName)?.[0]);
const children = (item: DicomDataSet) => item.sequence(T.content) ?? [];

function find(items: readonly DicomDataSet[], name: CodedConcept): DicomDataSet | undefined {
  return items.find((item) => same(nameOf(item), name));
}

function fail(what: string): never {
  throw new DicomError('DICOM_MALFORMED', `not a CV Factory prediction report: ${what}`);
}

function num(item: DicomDataSet | undefined): number | undefined {
  const value = item?.sequence(T.measuredValue)?.[0]?.number(T.numericValue);
  return value;
}

/**
 * Reads a prediction report back (our parser, not a trusted copy): the finding, probability,
 * decision and algorithm from the content tree, and the references. Fails with DICOM_MALFORMED
 * when the object is not a Comprehensive SR shaped like `createPredictionReport`'s.
 */
export function readPredictionReport(sr: DicomDataSet): PredictionReportContent {
  if (sr.string(Tag.SOPClassUID) !== COMPREHENSIVE_SR_STORAGE) fail(`SOP Class ${sr.string(Tag.SOPClassUID)} is not Comprehensive SR (${COMPREHENSIVE_SR_STORAGE})`);
  if (!same(nameOf(sr), C.imagingMeasurementReport)) fail('the root container is not an Imaging Measurement Report');
  const root = children(sr);
  const group = find(children(find(root, C.imagingMeasurements) ?? fail('no Imaging Measurements container')), C.measurementGroup) ?? fail('no Measurement Group');
  const items = children(group);
  const text = (name: CodedConcept) => find(items, name)?.string(T.textValue);
  const label = concept(find(items, C.finding)?.sequence(T.conceptCode)?.[0]) ?? fail('no Finding');
  const probability = num(find(items, C.probability)) ?? fail('no probability');
  const recommendation = find(items, C.recommendation);
  let decision: ReportDecision | undefined;
  if (recommendation) {
    const code = concept(recommendation.sequence(T.conceptCode)?.[0]);
    const outcome = (Object.keys(DECISION_CODES) as DecisionOutcome[]).find((key) => same(code, DECISION_CODES[key])) ?? fail(`unknown decision code ${code?.value}`);
    const threshold = num(find(items, C.operatingThreshold));
    const reasons = children(recommendation).filter((item) => same(nameOf(item), C.decisionReason)).map((item) => item.string(T.textValue) ?? '');
    decision = { outcome, ...(threshold !== undefined && { threshold }), ...(reasons.length > 0 && { reasons }) };
  }
  const configHash = text(C.algorithmParameters)?.replace(/^configHash=/, '');
  const library = children(find(root, C.imageLibrary) ?? fail('no Image Library'));
  const images = library.flatMap(children).map((item) => {
    const ref = item.sequence(T.referencedSop)?.[0];
    const frame = ref?.number('00081160');
    return { sopClassUID: ref?.string(T.referencedSopClass) ?? '', sopInstanceUID: ref?.string(T.referencedSopInstance) ?? '', ...(frame !== undefined && { frame }), saliency: same(nameOf(item), C.saliencyMap) };
  });
  const evidence = (sr.sequence(T.evidence) ?? []).flatMap((study) =>
    (study.sequence(T.referencedSeries) ?? []).flatMap((series) =>
      (series.sequence(T.referencedSop) ?? []).map((instance) => ({
        studyInstanceUID: study.string(Tag.StudyInstanceUID) ?? '',
        seriesInstanceUID: series.string(Tag.SeriesInstanceUID) ?? '',
        sopInstanceUID: instance.string(T.referencedSopInstance) ?? '',
      })),
    ),
  );
  return {
    // The code value is the whole label (Long Code Value past 16 characters); the meaning stops at 64.
    finding: { label: label.value, probability },
    ...(decision && { decision }),
    algorithm: { name: text(C.algorithmName) ?? fail('no Algorithm Name'), version: text(C.algorithmVersion) ?? fail('no Algorithm Version'), ...(configHash !== undefined && { configHash }) },
    studyInstanceUID: sr.string(Tag.StudyInstanceUID) ?? fail('no Study Instance UID'),
    images,
    evidence,
  };
}
