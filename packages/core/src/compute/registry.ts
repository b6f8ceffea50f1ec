import { KernelNotFoundError } from '../errors.js';
import type { AnyKernel } from './kernel.js';
import { KERNEL_CASES } from './kernels/all.js';

const registry = new Map<string, AnyKernel>();
// The core's kernels are the ones with a case table in all.ts (a name listed twice throws here).
for (const { kernel } of KERNEL_CASES) registerKernel(kernel);

export function getKernel(name: string): AnyKernel {
  const kernel = registry.get(name);
  if (!kernel) throw new KernelNotFoundError(name, [...registry.keys()]);
  return kernel;
}

export function listKernels(): readonly AnyKernel[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds a kernel defined outside the core (a plug-in), so doctor and the harness see it too. */
export function registerKernel(kernel: AnyKernel): void {
  if (registry.has(kernel.name)) throw new Error(`a kernel named "${kernel.name}" is already registered`);
  registry.set(kernel.name, kernel);
}
