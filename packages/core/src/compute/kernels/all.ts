import type { KernelCases } from '../kernel.js';
import { activationCases } from './activation/activation.cases.js';
import { activationBackwardCases } from './activation-backward/activation-backward.cases.js';
import { adamUpdateCases } from './adam-update/adam-update.cases.js';
import { addCases } from './add/add.cases.js';
import { argmaxCases } from './argmax/argmax.cases.js';
import { augmentImagesCases } from './augment-images/augment-images.cases.js';
import { avgPoolCases } from './avg-pool/avg-pool.cases.js';
import { avgPoolBackwardCases } from './avg-pool-backward/avg-pool-backward.cases.js';
import { batchNormCases } from './batch-norm/batch-norm.cases.js';
import { batchNormBackwardCases } from './batch-norm-backward/batch-norm-backward.cases.js';
import { clampCases } from './clamp/clamp.cases.js';
import { colorCases } from './color/color.cases.js';
import { concatRowsCases } from './concat-rows/concat-rows.cases.js';
import { conv2dCases } from './conv2d/conv2d.cases.js';
import { conv2dBackwardInputCases } from './conv2d-backward-input/conv2d-backward-input.cases.js';
import { conv2dBackwardWeightCases } from './conv2d-backward-weight/conv2d-backward-weight.cases.js';
import { covarianceCases } from './covariance/covariance.cases.js';
import { dropoutCases } from './dropout/dropout.cases.js';
import { gaussianBlurCases } from './gaussian-blur/gaussian-blur.cases.js';
import { gatherRowsCases } from './gather-rows/gather-rows.cases.js';
import { globalAveragePoolCases } from './global-average-pool/global-average-pool.cases.js';
import { globalAveragePoolBackwardCases } from './global-average-pool-backward/global-average-pool-backward.cases.js';
import { gramCases } from './gram/gram.cases.js';
import { hammingNearestCases } from './hamming-nearest/hamming-nearest.cases.js';
import { hogCases } from './hog/hog.cases.js';
import { l2NormalizeRowsCases } from './l2-normalize-rows/l2-normalize-rows.cases.js';
import { l2NormalizeRowsBackwardCases } from './l2-normalize-rows-backward/l2-normalize-rows-backward.cases.js';
import { matmulCases } from './matmul/matmul.cases.js';
import { maxPoolCases } from './max-pool/max-pool.cases.js';
import { maxPoolBackwardCases } from './max-pool-backward/max-pool-backward.cases.js';
import { mulCases } from './mul/mul.cases.js';
import { normalizeCases } from './normalize/normalize.cases.js';
import { ntXentCases } from './nt-xent/nt-xent.cases.js';
import { orbBriefCases } from './orb-brief/orb-brief.cases.js';
import { orbFastScoreCases } from './orb-fast-score/orb-fast-score.cases.js';
import { orbOrientationCases } from './orb-orientation/orb-orientation.cases.js';
import { pairwiseSimilarityCases } from './pairwise-similarity/pairwise-similarity.cases.js';
import { reduceCases } from './reduce/reduce.cases.js';
import { resizeBilinearCases } from './resize-bilinear/resize-bilinear.cases.js';
import { resizeNearestCases } from './resize-nearest/resize-nearest.cases.js';
import { scaleCases } from './scale/scale.cases.js';
import { sgdUpdateCases } from './sgd-update/sgd-update.cases.js';
import { siftDescriptorCases } from './sift-descriptor/sift-descriptor.cases.js';
import { siftDogCases } from './sift-dog/sift-dog.cases.js';
import { siftExtremaCases } from './sift-extrema/sift-extrema.cases.js';
import { similarityTopKCases } from './similarity-top-k/similarity-top-k.cases.js';
import { flatTopKCases } from './flat-top-k/flat-top-k.cases.js';
import { flatTopKInt8Cases } from './flat-top-k-int8/flat-top-k-int8.cases.js';
import { softmaxCases } from './softmax/softmax.cases.js';
import { softmaxCrossEntropyCases } from './softmax-cross-entropy/softmax-cross-entropy.cases.js';
import { squaredNormCases } from './squared-norm/squared-norm.cases.js';
import { topKCases } from './top-k/top-k.cases.js';
import { topKMergeCases } from './top-k-merge/top-k-merge.cases.js';
import { windowLevelCases } from './window-level/window-level.cases.js';

/**
 * Every kernel of the compute core, as its case table (which names the kernel): the one list that
 * the registry, the test suite, `cvf doctor --kernels` and the browser test are derived from.
 * Adding a kernel: its folder (<name>.ts, .shape.ts, .cpu.ts, .wgsl.ts, .cases.ts) and one line here
 * (and one in index.ts if code outside the core calls it by name).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KERNEL_CASES: readonly KernelCases<any>[] = [
  activationBackwardCases,
  activationCases,
  adamUpdateCases,
  addCases,
  argmaxCases,
  augmentImagesCases,
  avgPoolBackwardCases,
  avgPoolCases,
  batchNormBackwardCases,
  batchNormCases,
  clampCases,
  colorCases,
  concatRowsCases,
  conv2dBackwardInputCases,
  conv2dBackwardWeightCases,
  conv2dCases,
  covarianceCases,
  dropoutCases,
  gatherRowsCases,
  gaussianBlurCases,
  globalAveragePoolBackwardCases,
  globalAveragePoolCases,
  gramCases,
  hammingNearestCases,
  hogCases,
  l2NormalizeRowsBackwardCases,
  l2NormalizeRowsCases,
  matmulCases,
  maxPoolBackwardCases,
  maxPoolCases,
  mulCases,
  normalizeCases,
  ntXentCases,
  orbBriefCases,
  orbFastScoreCases,
  orbOrientationCases,
  pairwiseSimilarityCases,
  reduceCases,
  resizeBilinearCases,
  resizeNearestCases,
  scaleCases,
  sgdUpdateCases,
  siftDescriptorCases,
  siftDogCases,
  siftExtremaCases,
  similarityTopKCases,
  flatTopKCases,
  flatTopKInt8Cases,
  softmaxCases,
  softmaxCrossEntropyCases,
  squaredNormCases,
  topKCases,
  topKMergeCases,
  windowLevelCases,
];
