// Trainers of heads over fixed features (softmax, MLP) on a compute Device, their ONNX export,
// and small label-level helpers (kNN over any index's neighbours, pseudo-labelling).
export { decodeCheckpoint, encodeCheckpoint, type TrainCheckpoint } from './checkpoint.js';
export { classWeightsFor, type ClassWeighting } from './class-weights.js';
export { decodeCnnCheckpoint, encodeCnnCheckpoint, type CnnCheckpoint } from './cnn/cnn-checkpoint.js';
export { cnnClassifierHead, CNN_EXPORT_OUTPUTS, exportCnnToOnnx, type CnnExportOptions } from './cnn/cnn-export.js';
export { cnnLayout, initCnnValues, type CnnLayout, type CnnTensor, type CnnValues } from './cnn/cnn-parameters.js';
export { CnnEvalSession, CnnStepSession, type CnnBatch, type CnnSessionOptions, type CnnStepResult } from './cnn/cnn-sessions.js';
export { planCnn, SMALL_RESNET_BLOCKS, validateCnnSpec, type CnnBlock, type CnnPlan, type CnnSpec } from './cnn/cnn-spec.js';
export { CnnTrainer, softmaxRows, type CnnFitOptions, type CnnTrainResult } from './cnn/cnn-trainer.js';
export type { CnnImages } from './cnn/cnn-batches.js';
export { observeEpoch, INITIAL_EARLY_STOPPING, type EarlyStoppingOptions, type EarlyStoppingState } from './early-stopping.js';
export { computeGradients, type Gradients, type LossOptions } from './gradients.js';
export {
  createHead,
  disposeHead,
  headFromParameters,
  headFromValues,
  headParameters,
  headToHost,
  layerWidths,
  parameterNames,
  parameterShapes,
  uploadHead,
  validateHeadSpec,
  type DenseLayer,
  type Head,
  type HeadSpec,
  type MlpHeadSpec,
  type SoftmaxHeadSpec,
} from './head.js';
export { backwardHead } from './head-backward.js';
export { loadHead, saveHead } from './head-file.js';
export { exportImportedNetwork, importOnnxModel, type ImportedNetwork, type OnnxImportOptions } from './import/onnx-import.js';
export { ImportedGraph, type GraphBlock } from './import/imported-graph.js';
export { onnxFloatInitializers } from './import/onnx-model-reader.js';
export { forwardHead, headLogits, type ForwardCache, type ForwardOptions } from './head-forward.js';
export { knnPredict, knnVoteOfHits, neighbourLabelsOf, type KnnOptions, type KnnPrediction, type KnnWeighting } from './knn.js';
export { exportHeadToOnnx, type HeadExportOptions } from './onnx-export.js';
export { Optimizer, OPTIMIZER_KINDS, type OptimizerKind, type OptimizerOptions } from './optimizer.js';
export { predictProbabilities } from './predict.js';
export { headProducts, type Products } from './products.js';
export { pseudoLabel, type PseudoLabels } from './pseudo-label.js';
export { learningRateAt, SCHEDULE_KINDS, type ScheduleKind, type ScheduleOptions } from './schedule.js';
export { deriveSeed } from './seeds.js';
export { sliceRows, syntheticBlobs } from './synthetic-blobs.js';
export {
  ActivationLayer,
  AvgPoolLayer,
  BatchNormLayer,
  Conv2dLayer,
  DropoutLayer,
  forwardContext,
  GlobalAveragePoolLayer,
  LinearLayer,
  MaxPoolLayer,
  ResidualBlock,
  Sequential,
  Tape,
  type BackwardResult,
  type BatchNormLayerOptions,
  type Conv2dLayerOptions,
  type ForwardContext,
  type Layer,
  type Parameter,
  type ParameterGradients,
  type ResidualBlockOptions,
  type TapeStep,
} from './tape/index.js';
export { resolveTrainOptions, type EpochRecord, type ResolvedTrainOptions, type TrainOptions, type TrainProgress } from './train-options.js';
export { Trainer, trainHead, type FitOptions, type LabeledFeatures, type TrainResult } from './trainer.js';
export { validationMetrics } from './validation-metrics.js';
