// Evaluation: metric functions over typed arrays (conventions in inputs.ts), the classifier summary
// the orchestrator logs, and model-agnostic explanations. Isomorphic: no Node imports.
export type { BinaryTargets, Labels, Scores } from './inputs.js';
export { argmaxPredictions, confusionMatrix } from './confusion-matrix.js';
export {
  accuracy,
  accuracyFromConfusion,
  averagedScores,
  balancedAccuracy,
  balancedAccuracyFromConfusion,
  classScores,
  classScoresFromConfusion,
  cohenKappa,
  cohenKappaFromConfusion,
  macroScoresFromConfusion,
  microScoresFromConfusion,
  weightedScoresFromConfusion,
  type AveragedScores,
  type ClassScores,
} from './classification.js';
export {
  averagePrecision,
  averagePrecisionOneVsRest,
  oneVsRest,
  precisionRecallCurve,
  rocAuc,
  rocAucOneVsRest,
  rocCurve,
  type OneVsRest,
  type PrecisionRecallCurve,
  type RocCurve,
} from './ranking.js';
export { binaryBrierScore, brierScore, logLoss, LOG_LOSS_EPSILON } from './probabilistic-scores.js';
export {
  binaryReliabilityCurve,
  binnedCalibration,
  calibrationBinOf,
  expectedCalibrationError,
  reliabilityCurve,
  type Calibration,
  type ReliabilityBin,
} from './calibration.js';
export {
  applyThreshold,
  selectThreshold,
  sensitivitySpecificityAt,
  thresholdForSensitivity,
  youdenThreshold,
  type ThresholdChoice,
  type ThresholdStrategy,
} from './thresholds.js';
export {
  boxIou,
  COCO_IOU_THRESHOLDS,
  meanAveragePrecision,
  type ClassAveragePrecision,
  type DetectedBoxes,
  type GroundTruthBoxes,
  type MeanAveragePrecision,
  type MeanAveragePrecisionOptions,
} from './detection-map.js';
export { maskOverlap, segmentationScores, type ClassOverlap, type LabelMap, type SegmentationOptions, type SegmentationScores } from './segmentation.js';
export {
  evaluateClassifier,
  extraScalarMetricNames,
  predictWithThreshold,
  scalarMetrics,
  type ClassifierEvaluation,
  type ClassReport,
  type EvaluateClassifierOptions,
  type ExtraScalarMetricName,
} from './evaluate-classifier.js';
export type { PlanarImage, PredictFn, SaliencyMap } from './explain-input.js';
export { occlusionMap, patchStarts, type OcclusionOptions } from './occlusion.js';
export { riseMap, riseMask, type RiseOptions } from './rise.js';
export * from './explain/index.js';
export { bootstrapIntervals, quantileOfSorted, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';
export { applyTemperature, fitTemperature } from './temperature.js';
export { discordantPairs, EXACT_BELOW, mcnemarTest, type McNemarMethod, type McNemarResult } from './mcnemar.js';
export { normalQuantile } from './normal-quantile.js';
export { checkLevel, wilsonInterval, type ProportionInterval } from './wilson.js';
export {
  binaryCountsOf,
  operatingPointTable,
  OPERATING_POINT_METRICS,
  referralSummary,
  type BinaryCounts,
  type ClassOperatingPoint,
  type OperatingPointMetric,
  type OperatingPointTable,
  type ReferralSummary,
} from './operating-point.js';
export { curvesWithBands, precisionOnGrid, rocOnGrid, type BootstrapEstimate, type ClassCurves, type CurveBand, type CurveBandOptions } from './curve-bands.js';
export { evaluateClinically, type ClinicalEvaluation, type ClinicalEvaluationInput, type ClinicalEvaluationOptions } from './clinical-evaluation.js';
