// The kernels that code outside compute calls by name, with their attribute types. Which kernels
// exist is all.ts's list (the registry, tests and doctor read that); kernels.test.ts checks that
// every kernel exported here is in it.
export { activationBackward, type ActivationBackwardAttrs } from './activation-backward/activation-backward.js';
export { activation, type ActivationAttrs } from './activation/activation.js';
export { adamUpdate, type AdamUpdateAttrs } from './adam-update/adam-update.js';
export { add } from './add/add.js';
export { augmentImages, type AugmentCopyParams, type AugmentImagesAttrs } from './augment-images/augment-images.js';
export { batchNormBackward, type BatchNormBackwardAttrs } from './batch-norm-backward/batch-norm-backward.js';
export { batchNorm, type BatchNormAttrs } from './batch-norm/batch-norm.js';
export { argmax, type ArgmaxAttrs } from './argmax/argmax.js';
export { clamp, type ClampAttrs } from './clamp/clamp.js';
export { color, type ColorAttrs, type ColorConversion } from './color/color.js';
export { concatRows } from './concat-rows/concat-rows.js';
export { conv2dBackwardInput, type Conv2dBackwardInputAttrs } from './conv2d-backward-input/conv2d-backward-input.js';
export { conv2dBackwardWeight, type Conv2dBackwardWeightAttrs } from './conv2d-backward-weight/conv2d-backward-weight.js';
export { conv2d, type Conv2dAttrs } from './conv2d/conv2d.js';
export { covariance, type CovarianceAttrs } from './covariance/covariance.js';
export { dropout, type DropoutAttrs } from './dropout/dropout.js';
export { gatherRows } from './gather-rows/gather-rows.js';
export { gram } from './gram/gram.js';
export { hog } from './hog/hog.js';
export { matmul, type MatmulAttrs, type MatmulDims } from './matmul/matmul.js';
export { mul } from './mul/mul.js';
export { normalize, type NormalizeAttrs } from './normalize/normalize.js';
export { pairwiseSimilarity, type PairwiseSimilarityAttrs, type SimilarityMetric } from './pairwise-similarity/pairwise-similarity.js';
export { reduce, type ReduceAttrs, type ReduceOp } from './reduce/reduce.js';
export { resizeBilinear, type CoordinateTransform, type ResizeBilinearAttrs } from './resize-bilinear/resize-bilinear.js';
export { resizeNearestKernel } from './resize-nearest/resize-nearest.js';
export { scale, type ScaleAttrs } from './scale/scale.js';
export { sgdUpdate, type SgdUpdateAttrs } from './sgd-update/sgd-update.js';
export { similarityTopK, type SimilarityTopKAttrs } from './similarity-top-k/similarity-top-k.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyAttrs } from './softmax-cross-entropy/softmax-cross-entropy.js';
export { softmax, type SoftmaxAttrs } from './softmax/softmax.js';
export { squaredNorm } from './squared-norm/squared-norm.js';
export { topK, type TopKAttrs } from './top-k/top-k.js';
export { topKMerge, type TopKMergeAttrs } from './top-k-merge/top-k-merge.js';
export { windowLevel, type VoiLutFunction, type WindowLevelAttrs } from './window-level/window-level.js';
