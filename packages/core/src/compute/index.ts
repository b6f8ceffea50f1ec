export { CpuDevice } from './cpu-device.js';
export { createDevice, describeAdapter, isSoftwareAdapter, type CreateDeviceOptions } from './create-device.js';
export type { AdapterDescription, Backend, Device } from './device.js';
export { allocate, bytesPerElement, DTYPES, dtypeOf, type DType, type TypedArray, type TypedArrayFor } from './dtype.js';
export * from './harness.js';
export type { AnyKernel, KernelCase, KernelCases, KernelDef, Launch, TensorSpec, WgslProgram } from './kernel.js';
export { KERNEL_CASES } from './kernels/all.js';
export * from './kernels/index.js';
// The augment kernel's per-copy table, for callers that run it on images of their own (bench/monitor's shifts).
export { packAugmentPlan } from './kernels/augment-images/augment-plan.js';
export { Rng } from './random.js';
export { getKernel, listKernels, registerKernel } from './registry.js';
export { formatShape, sizeOf, type Shape } from './shape.js';
export { Tensor, type Location } from './tensor.js';
export { WebGpuDevice } from './webgpu/webgpu-device.js';
export * from './fast-matmul/index.js';
