// Runs in the page: every kernel case table on the browser's WebGPU adapter and on the CPU
// reference, with the same harness the Node tests use.
import { CpuDevice, checkKernel, createDevice, KERNEL_CASES } from '@cvf/core';

declare global {
  interface Window {
    runKernelChecks(seeds: number[]): Promise<unknown>;
  }
}

window.runKernelChecks = async (seeds) => {
  const gpu = await createDevice({ prefer: 'webgpu' });
  const cpu = new CpuDevice();
  const kernels = [];
  for (const cases of KERNEL_CASES) kernels.push(await checkKernel(cases, { cpu, gpu }, seeds));
  gpu.destroy();
  return { backend: gpu.backend, adapter: gpu.adapter, kernels };
};
