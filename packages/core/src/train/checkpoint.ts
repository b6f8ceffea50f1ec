import { TrainError } from '../errors.js';
import type { EarlyStoppingState } from './early-stopping.js';
import { parameterNames, parameterShapes, validateHeadSpec } from './head.js';
import type { HeadSpec } from './head.js';
import { Optimizer } from './optimizer.js';
import { decodeTensorArchive, encodeTensorArchive, type ArchiveTensor } from './tensor-archive.js';
import type { EpochRecord, ResolvedTrainOptions } from './train-options.js';

const KIND = 'cvf training checkpoint';

/**
 * Everything a run needs to continue exactly where it stopped: the parameters, the optimizer's
 * state and step count, the epochs done, early stopping's state and best parameters, and the
 * history. The random state is the seed (in `options`) plus the epoch and step counts: every
 * shuffle and dropout mask is derived from them (see seeds.ts).
 */
export interface TrainCheckpoint {
  readonly spec: HeadSpec;
  readonly options: ResolvedTrainOptions;
  /** Epochs completed. */
  readonly epoch: number;
  /** Early stopping ended the run after this epoch. */
  readonly stopped: boolean;
  readonly optimizerSteps: number;
  readonly earlyStopping: EarlyStoppingState;
  readonly history: readonly EpochRecord[];
  /** Parameter values in `parameterNames(spec)` order. */
  readonly parameters: readonly Float32Array[];
  /** Per parameter: [velocity] (sgd) or [m, v] (adam, adamw). */
  readonly optimizerState: readonly (readonly Float32Array[])[];
  /** Parameters of the best epoch so far (early stopping), or null. */
  readonly best: readonly Float32Array[] | null;
}

type Meta = Omit<TrainCheckpoint, 'parameters' | 'optimizerState' | 'best'> & { hasBest: boolean };

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
  const meta: Meta = { ...rest, hasBest: best !== null };
  return encodeTensorArchive(KIND, meta, tensors);
}

export function decodeCheckpoint(bytes: Uint8Array): TrainCheckpoint {
  const { meta, tensors } = decodeTensorArchive(bytes, KIND);
  const m = meta as Partial<Meta> | null;
  if (!m || !m.spec || !m.options || typeof m.epoch !== 'number' || typeof m.optimizerSteps !== 'number' || !m.earlyStopping || !Array.isArray(m.history)) {
    throw new TrainError('TRAIN_CHECKPOINT_INVALID', `not a valid ${KIND} (its header lacks spec, options, epoch, optimizerSteps, earlyStopping or history)`);
  }
  validateHeadSpec(m.spec);
  const names = parameterNames(m.spec);
  const shapes = parameterShapes(m.spec);
  const take = (name: string, shape: readonly number[]): Float32Array => {
    const t = tensors.get(name);
    if (!t || t.shape.join(',') !== shape.join(',')) {
      throw new TrainError('TRAIN_CHECKPOINT_INVALID', `checkpoint tensor "${name}" ${t ? `has shape [${t.shape.join(', ')}]` : 'is missing'}; expected [${shape.join(', ')}]`);
    }
    return t.data;
  };
  const slots = Optimizer.slots(m.options.optimizer.kind);
  return {
    spec: m.spec,
    options: m.options,
    epoch: m.epoch,
    stopped: m.stopped === true,
    optimizerSteps: m.optimizerSteps,
    earlyStopping: m.earlyStopping,
    history: m.history,
    parameters: names.map((name, i) => take(name, shapes[i]!)),
    optimizerState: names.map((name, i) => Array.from({ length: slots }, (_, s) => take(`${name}.state${s}`, shapes[i]!))),
    best: m.hasBest ? names.map((name, i) => take(`best.${name}`, shapes[i]!)) : null,
  };
}
