import { createDevice, type Device } from '@cvf/core';

/** Where the viewer computes: the best device this browser has (WebGPU when an adapter exists), or the CPU on request. */
export type ComputePreference = 'auto' | 'cpu';

const devices = new Map<ComputePreference, Promise<{ device: Device; fallbackReason: string | null }>>();

/**
 * The viewer's compute Device for a preference, created once: WebGPU when the browser has an
 * adapter (a software one, SwiftShader, counts: it is still this machine), else the CPU, with the
 * reason kept; 'cpu' is the plain TypeScript path (same answers) with ONNX Runtime on wasm.
 */
export function viewerDevice(prefer: ComputePreference = 'auto'): Promise<{ device: Device; fallbackReason: string | null }> {
  let found = devices.get(prefer);
  if (!found) {
    found = (async () => {
      let fallbackReason: string | null = prefer === 'cpu' ? 'the CPU was chosen' : null;
      const device = await createDevice({ prefer, allowSoftwareAdapter: true, log: (message) => (fallbackReason = message) });
      return { device, fallbackReason };
    })();
    devices.set(prefer, found);
  }
  return found;
}
