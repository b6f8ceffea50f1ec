import type { KernelCases } from '../kernel.js';
import { addCases } from './add/add.cases.js';
import { clampCases } from './clamp/clamp.cases.js';
import { matmulCases } from './matmul/matmul.cases.js';
import { mulCases } from './mul/mul.cases.js';
import { scaleCases } from './scale/scale.cases.js';

/** The case table of every registered kernel, for the test harness, `cvf doctor --kernels` and the browser test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KERNEL_CASES: readonly KernelCases<any>[] = [addCases, clampCases, matmulCases, mulCases, scaleCases];
