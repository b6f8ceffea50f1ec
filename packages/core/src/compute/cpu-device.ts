import { ShapeError } from '../errors.js';
import { allocate, type DType, type TypedArray, type TypedArrayFor } from './dtype.js';
import type { Device } from './device.js';
import type { HostTensor, KernelDef } from './kernel.js';
import { prepareCall } from './kernel-call.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Runs every kernel through its CPU reference: the backend that exists everywhere, and the oracle. */
export class CpuDevice implements Device {
  readonly backend = 'cpu' as const;
  readonly adapter = null;

  upload<D extends DType>(tensor: Tensor<D>): Tensor<D> {
    if (tensor.location !== 'cpu') throw new ShapeError('CpuDevice: tensor lives on a GPU; read it with that device first');
    return tensor;
  }

  async run<I extends string, O extends string, A>(kernel: KernelDef<I, O, A>, inputs: { readonly [K in I]: Tensor }, attrs: A): Promise<{ [K in O]: Tensor }> {
    return this.runSync(kernel, inputs, attrs);
  }

  /** The same as `run`, synchronously: the CPU path needs no event loop turn. */
  runSync<I extends string, O extends string, A>(kernel: KernelDef<I, O, A>, inputs: { readonly [K in I]: Tensor }, attrs: A): { [K in O]: Tensor } {
    const { inputSpecs, outputSpecs } = prepareCall(kernel, inputs, attrs);
    const hostInputs: Record<string, HostTensor> = {};
    for (const [name, spec] of Object.entries(inputSpecs)) {
      hostInputs[name] = { ...spec, data: this.upload((inputs as Record<string, Tensor>)[name]!).data };
    }
    const arrays: Record<string, TypedArray> = {};
    const outputs: Record<string, Tensor> = {};
    for (const [name, spec] of Object.entries(outputSpecs)) {
      const data = allocate(spec.dtype, sizeOf(spec.shape));
      arrays[name] = data;
      outputs[name] = Tensor.cpu(spec.dtype, spec.shape, data);
    }
    kernel.cpu(hostInputs as never, attrs, arrays as never);
    return outputs as { [K in O]: Tensor };
  }

  async read<D extends DType>(tensor: Tensor<D>): Promise<TypedArrayFor<D>> {
    return this.upload(tensor).data;
  }

  async synchronize(): Promise<void> {}

  destroy(): void {}
}
