// Every kernel of the compute core, and only kernels (the registry takes every export).
// Adding a kernel: a folder with <name>.ts (+ .cpu.ts, .wgsl.ts) and <name>.cases.ts, then one
// line here and one in cases.ts.
export { add } from './add/add.js';
export { argmax, type ArgmaxAttrs } from './argmax/argmax.js';
export { clamp, type ClampAttrs } from './clamp/clamp.js';
export { color, type ColorAttrs, type ColorConversion } from './color/color.js';
export { covariance, type CovarianceAttrs } from './covariance/covariance.js';
export { matmul, type MatmulAttrs, type MatmulDims } from './matmul/matmul.js';
export { mul } from './mul/mul.js';
export { normalize, type NormalizeAttrs } from './normalize/normalize.js';
export { pairwiseSimilarity, type PairwiseSimilarityAttrs, type SimilarityMetric } from './pairwise-similarity/pairwise-similarity.js';
export { reduce, type ReduceAttrs, type ReduceOp } from './reduce/reduce.js';
export { resizeBilinear, type CoordinateTransform, type ResizeBilinearAttrs } from './resize-bilinear/resize-bilinear.js';
export { scale, type ScaleAttrs } from './scale/scale.js';
export { softmax, type SoftmaxAttrs } from './softmax/softmax.js';
export { topK, type TopKAttrs } from './top-k/top-k.js';
export { windowLevel, type VoiLutFunction, type WindowLevelAttrs } from './window-level/window-level.js';
