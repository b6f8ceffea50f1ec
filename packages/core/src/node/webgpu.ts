import { createDevice, type CreateDeviceOptions } from '../compute/create-device.js';
import type { Device } from '../compute/device.js';
import { ensureXdgRuntimeDir } from './xdg-runtime-dir.js';

let dawn: Promise<GPU | string> | undefined;

/**
 * Dawn's WebGPU entry point from the `webgpu` package, created once per process (a second Dawn
 * instance costs start-up time and driver memory). Resolves to the reason when Dawn cannot load.
 */
export function nodeGpu(): Promise<GPU | string> {
  dawn ??= (async () => {
    ensureXdgRuntimeDir();
    try {
      const { create, globals } = await import('webgpu');
      // Dawn's objects check `instanceof` against these classes; install them once.
      Object.assign(globalThis, globals);
      return create([]);
    } catch (error) {
      return `the webgpu package (Dawn) failed to load: ${(error as Error).message}`;
    }
  })();
  return dawn;
}

/** `createDevice` for Node: WebGPU through Dawn (Vulkan, Metal or D3D12), else the CPU. */
export async function createNodeDevice(options: Omit<CreateDeviceOptions, 'gpu'> = {}): Promise<Device> {
  if (options.prefer === 'cpu') return createDevice(options);
  const gpu = await nodeGpu();
  return typeof gpu === 'string' ? createDevice({ ...options, gpu: null, unavailableReason: gpu }) : createDevice({ ...options, gpu });
}
