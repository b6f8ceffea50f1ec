export { chiSquaredHomogeneity, computeInputReference, INPUT_HISTOGRAM_BINS, INPUT_REFERENCE_SIZE, inputDrift, inputImageStatistics, inputReferenceOf, type InputDriftOptions, type InputDriftTest, type InputImageStatistics, type InputReference } from './input-drift/index.js';
export { computeReferenceStatistics, REFERENCE_QUANTILE_LEVELS, REFERENCE_SAMPLE_SIZE, type ReferenceInput, type ReferenceStatistics } from './reference-statistics.js';
export { MMD_MAX_POOLED_ROWS, mmdDrift, mmdPermutations, type MmdOptions } from './drift/mmd.js';
export { assertFeedbackClass, assertPredictionId, type FeedbackLabel, type FeedbackStore } from './feedback/feedback-label.js';
export { measurePerformance, sensitivityByClass, type PerformanceFigures } from './feedback/performance.js';
export { recordDriftTrigger } from './triggers/drift-trigger.js';
export {
  assertNewMonitorEvent,
  MONITOR_ACTIONS,
  MONITOR_EVENT_KINDS,
  type MonitorAction,
  type MonitorEvent,
  type MonitorEventFilter,
  type MonitorEventKind,
  type MonitorEventStore,
  type NewMonitorEvent,
} from './triggers/monitor-event.js';
export { checkPerformanceTrigger, type PerformanceCheck } from './triggers/performance-trigger.js';
export { ksDrift, type KsOptions } from './drift/ks.js';
export { ksTwoSample, type KsTwoSample } from './drift/ks-two-sample.js';
export { adjustPValues, P_VALUE_CORRECTIONS, type PValueCorrection } from './drift/multiple-testing.js';
export { checkTwoSamples, DRIFT_METHODS, type AutoDriftResult, type DriftMethod, type DriftResult, type EmbeddingMatrix } from './drift/types.js';
export { psi, psiDrift, PSI_FLOOR, type LivePredictions, type PsiOptions, type PsiReference } from './drift/psi.js';
export { classifierDrift, domainFolds, type ClassifierOptions } from './drift/classifier.js';
export { autoDrift, type AutoDriftOptions, type DetectorAtLevel } from './drift/auto.js';
export { latestScheduledTime, startCronJob, type CronJob } from './triggers/cron-schedule.js';
