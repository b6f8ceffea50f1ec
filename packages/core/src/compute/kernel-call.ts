import { DtypeError, ShapeError } from '../errors.js';
import type { AnyKernel, Specs, TensorSpec } from './kernel.js';
import type { Tensor } from './tensor.js';

export type KernelInputs = Readonly<Record<string, Tensor>>;

/** Checks a call against the kernel's declared inputs and dtypes, and derives the output specs. */
export function prepareCall(kernel: AnyKernel, inputs: KernelInputs, attrs: unknown): { inputSpecs: Specs<string>; outputSpecs: Specs<string> } {
  const inputSpecs: Record<string, TensorSpec> = {};
  for (const [name, accepted] of Object.entries(kernel.inputs as Record<string, readonly string[]>)) {
    const tensor = inputs[name];
    if (!tensor) throw new ShapeError(`kernel "${kernel.name}": missing input "${name}" (inputs: ${Object.keys(kernel.inputs).join(', ')})`);
    if (!accepted.includes(tensor.dtype)) {
      throw new DtypeError(`kernel "${kernel.name}": input "${name}" is ${tensor.dtype}; accepted: ${accepted.join(', ')}`);
    }
    inputSpecs[name] = { shape: tensor.shape, dtype: tensor.dtype };
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in kernel.inputs)) throw new ShapeError(`kernel "${kernel.name}": unknown input "${name}" (inputs: ${Object.keys(kernel.inputs).join(', ')})`);
  }
  return { inputSpecs, outputSpecs: kernel.outputs(inputSpecs, attrs) };
}
