// The compute kernels the trainers add to the core, and their case tables. The lead registers
// them in compute/kernels/index.ts and cases.ts; the trainers import them from their folders.
import type { KernelCases } from '../compute/kernel.js';
import { activationBackwardCases } from '../compute/kernels/activation-backward/activation-backward.cases.js';
import { activationCases } from '../compute/kernels/activation/activation.cases.js';
import { adamUpdateCases } from '../compute/kernels/adam-update/adam-update.cases.js';
import { dropoutCases } from '../compute/kernels/dropout/dropout.cases.js';
import { gatherRowsCases } from '../compute/kernels/gather-rows/gather-rows.cases.js';
import { sgdUpdateCases } from '../compute/kernels/sgd-update/sgd-update.cases.js';
import { softmaxCrossEntropyCases } from '../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.cases.js';
import { squaredNormCases } from '../compute/kernels/squared-norm/squared-norm.cases.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TRAIN_KERNEL_CASES: readonly KernelCases<any>[] = [
  activationCases,
  activationBackwardCases,
  adamUpdateCases,
  dropoutCases,
  gatherRowsCases,
  sgdUpdateCases,
  softmaxCrossEntropyCases,
  squaredNormCases,
];
