import { afterAll, describe, expect, it } from 'vitest';
import { gpuForTests } from '../../../node/gpu-test-policy.js';
import { CpuDevice } from '../../cpu-device.js';
import { checkRandomCases, checkTableCase } from '../../harness.js';
import type { KernelCases } from '../../kernel.js';
import { topKMergeCases } from '../top-k-merge/top-k-merge.cases.js';
import { similarityTopKCases } from './similarity-top-k.cases.js';

// The flat-search kernels' case tables on every backend (the shared kernel suite runs them too
// once they are registered in kernels/cases.ts).
const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

for (const cases of [similarityTopKCases, topKMergeCases] as KernelCases<unknown>[]) {
  describe(`kernel ${cases.kernel.name}`, () => {
    for (const kernelCase of cases.cases) {
      it(`cpu: ${kernelCase.name}`, async () => {
        const check = await checkTableCase(cpu, cases.kernel, kernelCase);
        expect(check.maxRelError).toBeLessThanOrEqual(check.tolerance);
      });
      it.skipIf(!gpu.device)(`webgpu: ${kernelCase.name}`, async () => {
        const check = await checkTableCase(gpu.device!, cases.kernel, kernelCase);
        expect(check.backend).toBe('webgpu');
        expect(check.maxRelError).toBeLessThanOrEqual(check.tolerance);
      });
    }
    it.skipIf(!gpu.device)('webgpu agrees with the cpu reference on seeded random inputs', async () => {
      for (const seed of [1, 2, 3]) {
        for (const check of await checkRandomCases(gpu.device!, cpu, cases, seed)) expect(check.maxRelError, check.case).toBeLessThanOrEqual(check.tolerance);
      }
    });
  });
}
