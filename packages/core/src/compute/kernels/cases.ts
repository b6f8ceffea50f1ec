import type { KernelCases } from '../kernel.js';
import { addCases } from './add/add.cases.js';
import { argmaxCases } from './argmax/argmax.cases.js';
import { clampCases } from './clamp/clamp.cases.js';
import { colorCases } from './color/color.cases.js';
import { covarianceCases } from './covariance/covariance.cases.js';
import { matmulCases } from './matmul/matmul.cases.js';
import { mulCases } from './mul/mul.cases.js';
import { normalizeCases } from './normalize/normalize.cases.js';
import { pairwiseSimilarityCases } from './pairwise-similarity/pairwise-similarity.cases.js';
import { reduceCases } from './reduce/reduce.cases.js';
import { resizeBilinearCases } from './resize-bilinear/resize-bilinear.cases.js';
import { scaleCases } from './scale/scale.cases.js';
import { softmaxCases } from './softmax/softmax.cases.js';
import { topKCases } from './top-k/top-k.cases.js';
import { windowLevelCases } from './window-level/window-level.cases.js';

/** The case table of every registered kernel, for the test harness, `cvf doctor --kernels` and the browser test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KERNEL_CASES: readonly KernelCases<any>[] = [
  addCases,
  argmaxCases,
  clampCases,
  colorCases,
  covarianceCases,
  matmulCases,
  mulCases,
  normalizeCases,
  pairwiseSimilarityCases,
  reduceCases,
  resizeBilinearCases,
  scaleCases,
  softmaxCases,
  topKCases,
  windowLevelCases,
];
