// Runs in the page: one ResNet-18 epoch on the browser's WebGPU adapter (navigator.gpu), with the
// memory the page can observe: the Device's GPU buffer bytes and Chromium's performance.memory.
import { createDevice, WebGpuDevice, type AdapterDescription } from '@cvf/core';
import { trainEpoch, type EpochOptions, type EpochResult, type MemoryProbe } from './resnet-epoch-train.js';

export interface BrowserEpoch {
  readonly adapter: AdapterDescription | null;
  readonly result: EpochResult;
  /** Peak bytes by name, sampled after every kernel. */
  readonly peaks: Record<string, number>;
}

declare global {
  interface Window {
    runResnetEpoch(options: EpochOptions): Promise<BrowserEpoch>;
  }
}

/** Chromium's non-standard heap figures (absent in other browsers). */
function jsHeap(): Record<string, number> {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
  return memory ? { 'js heap used': memory.usedJSHeapSize, 'js heap total': memory.totalJSHeapSize } : {};
}

window.runResnetEpoch = async (options) => {
  const device = await createDevice({ prefer: 'webgpu' });
  if (!(device instanceof WebGpuDevice)) throw new Error('this page has no WebGPU adapter (navigator.gpu); the epoch needs one');
  const current = () => {
    const gpu = device.bufferBytes;
    return { 'gpu in use': gpu.allocated - gpu.idle, 'gpu allocated': gpu.allocated, ...jsHeap() };
  };
  const peaks: Record<string, number> = {};
  const probe: MemoryProbe = {
    sample: () => {
      for (const [name, bytes] of Object.entries(current())) peaks[name] = Math.max(peaks[name] ?? 0, bytes);
    },
    current,
  };
  try {
    const result = await trainEpoch(device, options, probe, (line) => console.log(line));
    peaks['gpu allocated'] = device.bufferBytes.peak;
    return { adapter: device.adapter, result, peaks };
  } finally {
    device.destroy();
  }
};
