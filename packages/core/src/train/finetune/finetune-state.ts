import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import type { ImportedGraph } from '../import/imported-graph.js';
import type { Parameter } from '../tape/layer.js';

/** What fine-tuning changes, read back to the host: the unfrozen blocks' initializers (running statistics included) and the head's parameters. */
export interface FinetuneState {
  readonly backbone: ReadonlyMap<string, Float32Array>;
  readonly head: readonly Float32Array[];
}

/** The state now (the best epoch's, kept while early stopping watches). */
export async function readFinetuneState(device: Device, trained: ImportedGraph, head: readonly Parameter[]): Promise<FinetuneState> {
  const backbone = new Map<string, Float32Array>();
  for (const binding of trained.bindings()) backbone.set(binding.initializer, await binding.read(device));
  return { backbone, head: await Promise.all(head.map(async (p) => Float32Array.from((await device.read(p.value)) as Float32Array))) };
}

/** Puts a state back into the layers, on the device. */
export async function writeFinetuneState(device: Device, trained: ImportedGraph, head: readonly Parameter[], state: FinetuneState): Promise<void> {
  for (const binding of trained.bindings()) await binding.write(device, state.backbone.get(binding.initializer)!);
  head.forEach((p, i) => {
    const shape = p.value.shape;
    p.value.dispose();
    p.value = device.upload(Tensor.cpu('f32', shape, state.head[i]!.slice()));
  });
}
