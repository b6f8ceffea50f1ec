import { requestWebGpu } from '../../compute/create-device.js';
import type { WebGpuDevice } from '../../compute/webgpu/webgpu-device.js';
import { nodeGpu } from '../webgpu.js';
import { requireInCi } from './require-in-ci.js';

/**
 * How GPU tests get their device (Dawn, lavapipe in CI). Without an adapter they are skipped with
 * the reason printed, or fail in CI on Linux (`requireInCi`): GPU tests never pass by quietly not
 * running.
 */
export async function gpuForTests(): Promise<{ device: WebGpuDevice; skip?: undefined } | { device?: undefined; skip: string }> {
  const gpu = await nodeGpu();
  const result = typeof gpu === 'string' ? gpu : await requestWebGpu(gpu);
  if (typeof result !== 'string') return { device: result };
  return { skip: requireInCi('a WebGPU adapter (lavapipe)', result) };
}
