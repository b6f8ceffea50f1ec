import { checkpointHeader, checkpointTensors, runStateOf, type CheckpointHeader, type RunState } from '../checkpoint-header.js';
import { Optimizer } from '../optimizer.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from '../tensor-archive.js';
import { cnnLayout, type CnnValues } from './cnn-parameters.js';
import { validateCnnSpec, type CnnSpec } from './cnn-spec.js';

const KIND = 'cvf cnn training checkpoint';

/**
 * Everything a CNN run needs to continue exactly where it stopped (as the heads' checkpoint.ts):
 * parameters and BN running statistics, the optimizer's state and step count, early stopping's
 * state and best values, the history. Random streams derive from the seed and the step count.
 */
export interface CnnCheckpoint extends RunState {
  readonly spec: CnnSpec;
  /** Parameters and running statistics by layout name. */
  readonly values: CnnValues;
  /** Per parameter (layout order): [velocity] (sgd) or [m, v] (adam, adamw). */
  readonly optimizerState: readonly (readonly Float32Array[])[];
  /** The best epoch's values (early stopping), or null. */
  readonly best: CnnValues | null;
}

export function encodeCnnCheckpoint(checkpoint: CnnCheckpoint): Uint8Array {
  const layout = cnnLayout(checkpoint.spec);
  const tensors: ArchiveTensor[] = [];
  for (const { name, shape } of [...layout.parameters, ...layout.buffers]) {
    tensors.push({ name, shape, data: checkpoint.values.get(name)! });
    if (checkpoint.best) tensors.push({ name: `best.${name}`, shape, data: checkpoint.best.get(name)! });
  }
  layout.parameters.forEach(({ name, shape }, i) => checkpoint.optimizerState[i]!.forEach((data, s) => tensors.push({ name: `${name}.state${s}`, shape, data })));
  const { values: _v, optimizerState: _s, best, ...rest } = checkpoint;
  const meta: CheckpointHeader<CnnSpec> = { ...rest, hasBest: best !== null };
  return encodeTensorArchive(KIND, meta, tensors);
}

export function decodeCnnCheckpoint(bytes: Uint8Array): CnnCheckpoint {
  const { meta, tensors } = decodeTensorArchive(bytes, KIND);
  const m = checkpointHeader<CnnSpec>(meta, KIND);
  validateCnnSpec(m.spec);
  const layout = cnnLayout(m.spec);
  const take = checkpointTensors(tensors);
  const all = [...layout.parameters, ...layout.buffers];
  const slots = Optimizer.slots(m.options.optimizer.kind);
  return {
    spec: m.spec,
    ...runStateOf(m),
    values: new Map(all.map(({ name, shape }) => [name, take(name, shape)])),
    optimizerState: layout.parameters.map(({ name, shape }) => Array.from({ length: slots }, (_, s) => take(`${name}.state${s}`, shape))),
    best: m.hasBest ? new Map(all.map(({ name, shape }) => [name, take(`best.${name}`, shape)])) : null,
  };
}
