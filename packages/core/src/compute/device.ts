import type { DType, TypedArrayFor } from './dtype.js';
import type { KernelDef } from './kernel.js';
import type { Tensor } from './tensor.js';

export type Backend = 'webgpu' | 'cpu';

/** What the adapter says of itself (`GPUAdapterInfo`), for doctor reports and logs. */
export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
}

/**
 * Where kernels run. Created once with `createDevice` (or `createNodeDevice` in Node); every
 * component takes one, so the same code computes on WebGPU or on the CPU.
 */
export interface Device {
  readonly backend: Backend;
  /** The WebGPU adapter; null on the CPU backend. */
  readonly adapter: AdapterDescription | null;
  /** Puts a tensor where this device computes (a no-op when it is already there). */
  upload<D extends DType>(tensor: Tensor<D>): Tensor<D>;
  /** Runs a kernel; outputs stay on this device (GPU buffers on WebGPU) until read. */
  run<I extends string, O extends string, A>(
    kernel: KernelDef<I, O, A>,
    inputs: { readonly [K in I]: Tensor },
    attrs: A,
  ): Promise<{ [K in O]: Tensor }>;
  /** Copies a tensor's values to the host. */
  read<D extends DType>(tensor: Tensor<D>): Promise<TypedArrayFor<D>>;
  /** Resolves once all submitted work has finished (for timing; `read` already waits for its data). */
  synchronize(): Promise<void>;
  /** Releases the device and everything it holds; later calls throw. */
  destroy(): void;
}
