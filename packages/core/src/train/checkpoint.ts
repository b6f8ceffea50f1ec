import { checkpointHeader, checkpointTensors, runStateOf, type CheckpointHeader, type RunState } from './checkpoint-header.js';
import { parameterNames, parameterShapes, validateHeadSpec } from './head.js';
import type { HeadSpec } from './head.js';
import { Optimizer } from './optimizer.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from './tensor-archive.js';

const KIND = 'cvf training checkpoint';

/**
 * Everything a run needs to continue exactly where it stopped: the parameters, the optimizer's
 * state and step count, the epochs done, early stopping's state and best parameters, and the
 * history. The random state is the seed (in `options`) plus the epoch and step counts: every
 * shuffle and dropout mask is derived from them (see seeds.ts).
 */
export interface TrainCheckpoint extends RunState {
  readonly spec: HeadSpec;
  /** Parameter values in `parameterNames(spec)` order. */
  readonly parameters: readonly Float32Array[];
  /** Per parameter: [velocity] (sgd) or [m, v] (adam, adamw). */
  readonly optimizerState: readonly (readonly Float32Array[])[];
  /** Parameters of the best epoch so far (early stopping), or null. */
  readonly best: readonly Float32Array[] | null;
}

export function encodeCheckpoint(checkpoint: TrainCheckpoint): Uint8Array {
  const names = parameterNames(checkpoint.spec);
  const shapes = parameterShapes(checkpoint.spec);
  const tensors: ArchiveTensor[] = [];
  names.forEach((name, i) => {
    tensors.push({ name, shape: shapes[i]!, data: checkpoint.parameters[i]! });
    checkpoint.optimizerState[i]!.forEach((data, s) => tensors.push({ name: `${name}.state${s}`, shape: shapes[i]!, data }));
    if (checkpoint.best) tensors.push({ name: `best.${name}`, shape: shapes[i]!, data: checkpoint.best[i]! });
  });
  const { parameters: _p, optimizerState: _s, best, ...rest } = checkpoint;
  const meta: CheckpointHeader<HeadSpec> = { ...rest, hasBest: best !== null };
  return encodeTensorArchive(KIND, meta, tensors);
}

export function decodeCheckpoint(bytes: Uint8Array): TrainCheckpoint {
  const { meta, tensors } = decodeTensorArchive(bytes, KIND);
  const m = checkpointHeader<HeadSpec>(meta, KIND);
  validateHeadSpec(m.spec);
  const names = parameterNames(m.spec);
  const shapes = parameterShapes(m.spec);
  const take = checkpointTensors(tensors);
  const slots = Optimizer.slots(m.options.optimizer.kind);
  return {
    spec: m.spec,
    ...runStateOf(m),
    parameters: names.map((name, i) => take(name, shapes[i]!)),
    optimizerState: names.map((name, i) => Array.from({ length: slots }, (_, s) => take(`${name}.state${s}`, shapes[i]!))),
    best: m.hasBest ? names.map((name, i) => take(`best.${name}`, shapes[i]!)) : null,
  };
}
