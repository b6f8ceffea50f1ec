import { WebGpuUnavailableError } from '../errors.js';
import { CpuDevice } from './cpu-device.js';
import type { AdapterDescription, Device } from './device.js';
import { WebGpuDevice } from './webgpu/webgpu-device.js';

export interface CreateDeviceOptions {
  /** `auto` (default) takes WebGPU when an adapter exists, else the CPU; `webgpu` fails without one. */
  prefer?: 'auto' | 'webgpu' | 'cpu';
  /** The WebGPU entry point; defaults to `navigator.gpu`. Node passes Dawn's (see @cvf/core/node). */
  gpu?: GPU | null;
  /** Why WebGPU could not be used, when the caller already knows (e.g. Dawn failed to load). */
  unavailableReason?: string;
  powerPreference?: GPUPowerPreference;
  /** Where the one-time fallback notice goes. */
  log?: (message: string) => void;
  /**
   * Let `auto` use a software adapter (Mesa's lavapipe, SwiftShader): WebGPU emulated on the CPU
   * is correct but slower than the CPU path itself, so `auto` skips it by default.
   */
  allowSoftwareAdapter?: boolean;
}

/** An adapter that emulates a GPU on the CPU. */
export function isSoftwareAdapter(adapter: AdapterDescription): boolean {
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`.toLowerCase();
  return /\b(software|swiftshader|llvmpipe|lavapipe)\b/.test(text);
}

let fallbackLogged = false;

/** Finds a WebGPU adapter and device, or says why there is none. */
export async function requestWebGpu(gpu: GPU | null | undefined, powerPreference?: GPUPowerPreference): Promise<WebGpuDevice | string> {
  if (!gpu) return 'no WebGPU entry point (navigator.gpu is undefined; in Node use createNodeDevice from @cvf/core/node)';
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(powerPreference ? { powerPreference } : undefined);
  } catch (error) {
    return `requestAdapter failed: ${(error as Error).message}`;
  }
  if (!adapter) return 'no WebGPU adapter (no supported GPU or Vulkan/Metal/D3D12 driver)';
  // Ask for the adapter's largest buffers: datasets and indexes are bigger than the 128 MiB default.
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
  };
  try {
    const device = await adapter.requestDevice({ requiredLimits });
    return new WebGpuDevice(device, describeAdapter(adapter.info));
  } catch (error) {
    return `requestDevice failed: ${(error as Error).message}`;
  }
}

export function describeAdapter(info: GPUAdapterInfo | undefined): AdapterDescription {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
  };
}

/** Creates the compute Device: WebGPU where it exists (or is required), else the CPU reference path. */
export async function createDevice(options: CreateDeviceOptions = {}): Promise<Device> {
  const prefer = options.prefer ?? 'auto';
  if (prefer === 'cpu') return new CpuDevice();
  const gpu = options.gpu !== undefined ? options.gpu : (globalThis.navigator?.gpu ?? null);
  let result = options.unavailableReason ? options.unavailableReason : await requestWebGpu(gpu, options.powerPreference);
  if (typeof result !== 'string' && prefer === 'auto' && !options.allowSoftwareAdapter && isSoftwareAdapter(result.adapter)) {
    const name = result.adapter.description || result.adapter.architecture;
    result.destroy();
    // Named as users set it: the pipeline's compute.device, the CLI's --device (and the option in code).
    result = `the only adapter is a software one (${name}), slower than the CPU path; to run on it anyway set compute.device: webgpu in the pipeline, or pass --device webgpu --allow-software (prefer: 'webgpu' in code)`;
  }
  if (typeof result !== 'string') return result;
  if (prefer === 'webgpu') throw new WebGpuUnavailableError(result);
  if (!fallbackLogged) {
    fallbackLogged = true;
    (options.log ?? console.warn)(`[cvf] WebGPU unavailable, computing on the CPU: ${result}`);
  }
  return new CpuDevice();
}
