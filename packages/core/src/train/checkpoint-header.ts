import { TrainError } from '../errors.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { ArchiveTensor } from './tensor-archive.js';
import type { EpochRecord, ResolvedTrainOptions } from './train-options.js';

/** Where a training run stands between epochs: what every trainer's checkpoint keeps beside its tensors. */
export interface RunState {
  readonly options: ResolvedTrainOptions;
  /** Epochs completed. */
  readonly epoch: number;
  /** Early stopping ended the run after this epoch. */
  readonly stopped: boolean;
  readonly optimizerSteps: number;
  readonly earlyStopping: EarlyStoppingState;
  readonly history: readonly EpochRecord[];
}

/** A checkpoint's JSON header: the model's spec, the run state, and whether best values follow. */
export type CheckpointHeader<Spec> = RunState & { readonly spec: Spec; readonly hasBest: boolean };

/** The header of a decoded checkpoint of `kind`; TRAIN_CHECKPOINT_INVALID when a part of it is missing. */
export function checkpointHeader<Spec>(meta: unknown, kind: string): CheckpointHeader<Spec> {
  const m = meta as Partial<CheckpointHeader<Spec>> | null;
  if (!m || !m.spec || !m.options || typeof m.epoch !== 'number' || typeof m.optimizerSteps !== 'number' || !m.earlyStopping || !Array.isArray(m.history)) {
    throw new TrainError('TRAIN_CHECKPOINT_INVALID', `not a valid ${kind} (its header lacks spec, options, epoch, optimizerSteps, earlyStopping or history)`);
  }
  return { ...(m as CheckpointHeader<Spec>), stopped: m.stopped === true, hasBest: m.hasBest === true };
}

/** The run state alone, as a decoded checkpoint returns it. */
export function runStateOf(header: RunState): RunState {
  const { options, epoch, stopped, optimizerSteps, earlyStopping, history } = header;
  return { options, epoch, stopped, optimizerSteps, earlyStopping, history };
}

/** Reads named tensors of a checkpoint, each of the shape the spec says; TRAIN_CHECKPOINT_INVALID names one missing or misshapen. */
export function checkpointTensors(tensors: ReadonlyMap<string, ArchiveTensor>): (name: string, shape: readonly number[]) => Float32Array {
  return (name, shape) => {
    const t = tensors.get(name);
    if (!t || t.shape.join(',') !== shape.join(',')) {
      throw new TrainError('TRAIN_CHECKPOINT_INVALID', `checkpoint tensor "${name}" ${t ? `has shape [${t.shape.join(', ')}]` : 'is missing'}; expected [${shape.join(', ')}]`);
    }
    return t.data;
  };
}

/**
 * TRAIN_CHECKPOINT_MISMATCH unless a checkpoint comes from a run of this model (`what`: 'head',
 * 'network') with these options. Only the epochs may differ: a resumed run may be given more or fewer.
 */
export function assertSameRun<Spec>(checkpoint: { readonly spec: Spec; readonly options: ResolvedTrainOptions }, spec: Spec, options: ResolvedTrainOptions, what: string): void {
  if (JSON.stringify(checkpoint.spec) !== JSON.stringify(spec)) {
    throw new TrainError('TRAIN_CHECKPOINT_MISMATCH', `the checkpoint is of ${what} ${JSON.stringify(checkpoint.spec)}, not ${JSON.stringify(spec)}`);
  }
  for (const key of Object.keys(options) as (keyof ResolvedTrainOptions)[]) {
    if (key === 'epochs') continue;
    if (JSON.stringify(checkpoint.options[key]) !== JSON.stringify(options[key])) {
      throw new TrainError('TRAIN_CHECKPOINT_MISMATCH', `the checkpoint was trained with ${key} = ${JSON.stringify(checkpoint.options[key])}, not ${JSON.stringify(options[key])}`);
    }
  }
}
