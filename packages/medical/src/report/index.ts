// Results back to the PACS: a Comprehensive SR of a prediction and a Secondary Capture of its saliency overlay.
export { codeItem, CVF_CODING_SCHEME, DECISION_CODES, labelConcept, REPORT_CODES, type CodedConcept, type DecisionOutcome } from './coded-concept.js';
export { dicomDateTime, type ReportAlgorithm, type ReportDecision, type ReportFinding } from './report-content.js';
export { burnSaliencyOverlay, type OverlayBaseImage, type OverlayMap } from './saliency-overlay.js';
export { createSaliencyCapture, type SaliencyCaptureOptions } from './saliency-capture.js';
export { deidentifySourceStudy, readSourceStudy, type SourceImageReference, type SourceStudy } from './source-study.js';
export { COMPREHENSIVE_SR_STORAGE, createPredictionReport, type PredictionReportOptions } from './structured-report.js';
export { readPredictionReport, type PredictionReportContent } from './read-prediction-report.js';
export { reportContentOf } from './prediction-content.js';
export { createResultObjects, type ResultObjects, type ResultObjectsOptions } from './result-objects.js';
export { storeResultObjects } from './store-results.js';
