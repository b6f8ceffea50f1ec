export { canonicalJson, configHash, flattenParams } from './config-hash.js';
export { composeBundleGraph, composedGraphInput, COMPOSED_GRAPH_INPUT, COMPOSED_GRAPH_OUTPUTS, type BundleGraphParts } from './composed-graph.js';
export * from './retrain/index.js';
export { CHECKPOINT_ARTIFACT, runTrainingPipeline, type TrainPipelineOptions, type TrainSummary } from './train-pipeline.js';
export type { PipelineProgress, TrainingEnvironment } from './training-environment.js';
export * from './decision/index.js';
export { explainPrediction, planarUnitImage } from './explain-prediction.js';
export { Predictor, type Prediction, type PredictOptions, type PredictorContext } from './predictor.js';
export { applyPoint, runTuning, searchPoints, type TrialResult, type TuneSummary } from './tune.js';
