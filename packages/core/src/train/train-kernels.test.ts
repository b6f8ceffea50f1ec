import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { checkRandomCases, checkTableCase } from '../compute/harness.js';
import type { KernelCases } from '../compute/kernel.js';
import { KERNEL_CASES } from '../compute/kernels/cases.js';
import { TRAIN_KERNEL_CASES } from './train-kernels.js';
import { gpuForTests } from '../node/gpu-test-policy.js';

// The training kernels' case tables, run until they are registered in compute/kernels/cases.ts
// (from then on kernels.test.ts runs them and this file skips them, so nothing runs twice).
const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const registered = new Set(KERNEL_CASES.map((c) => c.kernel.name));
const pending: readonly KernelCases<unknown>[] = TRAIN_KERNEL_CASES.filter((c) => !registered.has(c.kernel.name));

it('training kernels are registered or tested here', () => {
  expect(pending.length + TRAIN_KERNEL_CASES.filter((c) => registered.has(c.kernel.name)).length).toBe(TRAIN_KERNEL_CASES.length);
});

for (const cases of pending) {
  describe(`kernel ${cases.kernel.name}`, () => {
    for (const kernelCase of cases.cases) {
      it(`cpu: ${kernelCase.name}`, async () => {
        const check = await checkTableCase(cpu, cases.kernel, kernelCase);
        expect(check.maxRelError, `${check.case} on cpu`).toBeLessThanOrEqual(check.tolerance);
      });
      it.skipIf(!gpu.device)(`webgpu: ${kernelCase.name}`, async () => {
        const check = await checkTableCase(gpu.device!, cases.kernel, kernelCase);
        expect(check.backend).toBe('webgpu');
        expect(check.maxRelError, `${check.case} on webgpu`).toBeLessThanOrEqual(check.tolerance);
      });
    }
    it.skipIf(!gpu.device)('webgpu agrees with the cpu reference on seeded random inputs', async () => {
      for (const seed of [1, 2, 3]) {
        for (const check of await checkRandomCases(gpu.device!, cpu, cases, seed)) {
          expect(check.maxRelError, check.case).toBeLessThanOrEqual(check.tolerance);
        }
      }
    });
  });
}
