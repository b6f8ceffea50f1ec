import { afterAll, describe, expect, it } from 'vitest';
import { gpuForTests } from '../node/testing/index.js';
import { CpuDevice } from './cpu-device.js';
import { checkRandomCases, checkTableCase } from './harness.js';
import { KERNEL_CASES } from './kernels/all.js';
import * as exportedKernels from './kernels/index.js';
import { listKernels } from './registry.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

// Three seeds: sizes differ per seed, so tile and workgroup edges are crossed in different places.
const SEEDS = [1, 2, 3];

it('the registry is the case list, every kernel exported by name is in it, and there are at least 12', () => {
  const listed = KERNEL_CASES.map((c) => c.kernel);
  expect(listKernels().map((k) => k.name)).toEqual(listed.map((k) => k.name).sort((a, b) => a.localeCompare(b)));
  expect(Object.values(exportedKernels).filter((k) => !listed.includes(k)).map((k) => k.name)).toEqual([]);
  expect(listed.length).toBeGreaterThanOrEqual(12);
});

for (const cases of KERNEL_CASES) {
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
      for (const seed of SEEDS) {
        for (const check of await checkRandomCases(gpu.device!, cpu, cases, seed)) {
          expect(check.maxRelError, check.case).toBeLessThanOrEqual(check.tolerance);
        }
      }
    });
  });
}
