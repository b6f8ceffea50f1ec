import { requestWebGpu } from '../compute/create-device.js';
import { CpuDevice } from '../compute/cpu-device.js';
import type { AdapterDescription } from '../compute/device.js';
import { checkKernel } from '../compute/harness.js';
import { KERNEL_CASES } from '../compute/kernels/all.js';
import { listKernels } from '../compute/registry.js';
import { probeExecutionProviders } from './ort-node.js';
import { nodeGpu } from './webgpu.js';

export interface DoctorReport {
  webgpu: { available: true; adapter: AdapterDescription } | { available: false; reason: string };
  onnxruntime: { version: string | null; executionProviders: string[]; failures: Record<string, string> };
  kernels?: Array<{ name: string; backends: string[]; maxRelError: number; tolerance: number; ok: boolean; failures?: string[] }>;
}

/**
 * What this machine can run: the WebGPU adapter (or why there is none), the ONNX Runtime
 * execution providers that really ran a graph, and optionally every kernel checked on random
 * inputs on both backends. `cvf doctor` prints it; so can a server's health page.
 */
export async function diagnose(options: { kernels?: boolean; seed?: number } = {}): Promise<DoctorReport> {
  const gpu = await nodeGpu();
  const device = typeof gpu === 'string' ? gpu : await requestWebGpu(gpu);
  const report: DoctorReport = {
    webgpu: typeof device === 'string' ? { available: false, reason: device } : { available: true, adapter: device.adapter },
    onnxruntime: await probeOnnx(),
  };
  if (options.kernels) {
    const cpu = new CpuDevice();
    const gpuDevice = typeof device === 'string' ? undefined : device;
    const withCases = new Map(KERNEL_CASES.map((c) => [c.kernel.name, c]));
    report.kernels = [];
    for (const kernel of listKernels()) {
      const cases = withCases.get(kernel.name);
      if (!cases) {
        report.kernels.push({ name: kernel.name, backends: [], maxRelError: NaN, tolerance: kernel.tolerance, ok: false, failures: ['no case table'] });
        continue;
      }
      const result = await checkKernel(cases, { cpu, gpu: gpuDevice }, [options.seed ?? Date.now() % 100000]);
      report.kernels.push({
        name: result.name,
        backends: [...result.backends],
        maxRelError: result.maxRelError,
        tolerance: result.tolerance,
        ok: result.ok,
        ...(result.failures.length ? { failures: result.failures.map((f) => `${f.backend} ${f.kind} "${f.case}": ${f.maxRelError} > ${f.tolerance}`) } : {}),
      });
    }
  }
  if (typeof device !== 'string') device.destroy();
  return report;
}

async function probeOnnx(): Promise<DoctorReport['onnxruntime']> {
  try {
    const probe = await probeExecutionProviders();
    return { version: probe.version, executionProviders: probe.executionProviders, failures: probe.failures };
  } catch (error) {
    return { version: null, executionProviders: [], failures: { load: (error as Error).message } };
  }
}
