import { checkKernel, CpuDevice, createDevice, KERNEL_CASES, type AdapterDescription, type Device, type KernelAgreement } from '@cvf/core';
import { create } from 'zustand';

/** This browser's compute device, and the kernel self-check run on it. */
interface DeviceState {
  status: 'idle' | 'probing' | 'ready';
  backend: Device['backend'] | null;
  adapter: AdapterDescription | null;
  /** Why WebGPU is not used, when it is not. */
  fallbackReason: string | null;
  checking: boolean;
  kernels: KernelAgreement[];
  probe(): Promise<void>;
  checkKernels(): Promise<void>;
}

let device: Device | null = null;

export const useDeviceStore = create<DeviceState>((set, get) => ({
  status: 'idle',
  backend: null,
  adapter: null,
  fallbackReason: null,
  checking: false,
  kernels: [],

  async probe() {
    if (get().status !== 'idle') return;
    set({ status: 'probing' });
    let fallbackReason: string | null = null;
    // This page checks the device itself, so an emulated adapter (SwiftShader) counts too.
    device = await createDevice({ prefer: 'auto', allowSoftwareAdapter: true, log: (message) => (fallbackReason = message) });
    set({ status: 'ready', backend: device.backend, adapter: device.adapter, fallbackReason });
  },

  async checkKernels() {
    if (!device || get().checking) return;
    set({ checking: true, kernels: [] });
    const cpu = new CpuDevice();
    const gpu = device.backend === 'webgpu' ? device : undefined;
    for (const cases of KERNEL_CASES) {
      const result = await checkKernel(cases, { cpu, gpu }, [Date.now() % 100000]);
      set({ kernels: [...get().kernels, result] });
    }
    set({ checking: false });
  },
}));
