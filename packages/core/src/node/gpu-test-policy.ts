import { requestWebGpu } from '../compute/create-device.js';
import type { WebGpuDevice } from '../compute/webgpu/webgpu-device.js';
import { nodeGpu } from './webgpu.js';

/**
 * How GPU tests get their device. Without an adapter they are skipped with the reason printed —
 * except in CI on Linux (CI=true), where set-up installs lavapipe and a missing adapter is a
 * failure: GPU tests must never pass by quietly not running.
 */
export async function gpuForTests(): Promise<{ device: WebGpuDevice; skip?: undefined } | { device?: undefined; skip: string }> {
  const gpu = await nodeGpu();
  const result = typeof gpu === 'string' ? gpu : await requestWebGpu(gpu);
  if (typeof result !== 'string') return { device: result };
  if (process.env.CI === 'true' && process.platform === 'linux') {
    throw new Error(`CI=true on Linux requires a WebGPU adapter (lavapipe from scripts/setup.sh), but: ${result}`);
  }
  const skip = `WebGPU tests skipped: ${result}`;
  console.warn(skip);
  return { skip };
}
