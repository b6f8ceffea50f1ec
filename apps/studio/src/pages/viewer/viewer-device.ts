import { createDevice, type Device } from '@cvf/core';

let device: Promise<{ device: Device; fallbackReason: string | null }> | null = null;

/**
 * The viewer's compute Device, created once: WebGPU when the browser has an adapter (a software
 * one, SwiftShader, counts: it is still this machine), else the CPU, with the reason kept.
 */
export function viewerDevice(): Promise<{ device: Device; fallbackReason: string | null }> {
  device ??= (async () => {
    let fallbackReason: string | null = null;
    const created = await createDevice({ prefer: 'auto', allowSoftwareAdapter: true, log: (message) => (fallbackReason = message) });
    return { device: created, fallbackReason };
  })();
  return device;
}
