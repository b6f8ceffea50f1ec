import { TrainError } from '../errors.js';

export interface EarlyStoppingOptions {
  /** Validation metric to watch: 'loss' (cross-entropy), 'accuracy', or one the `evaluate` callback returns. */
  readonly metric: string;
  /** Whether lower ('min') or higher ('max') is better. */
  readonly mode: 'min' | 'max';
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
}

/** Where early stopping stands; saved in checkpoints. */
export interface EarlyStoppingState {
  /** Best value so far (null before the first epoch). */
  readonly best: number | null;
  /** 1-based epoch of the best value (0 before the first). */
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly waited: number;
}

export const INITIAL_EARLY_STOPPING: EarlyStoppingState = { best: null, bestEpoch: 0, waited: 0 };

export function validateEarlyStopping(options: EarlyStoppingOptions): void {
  if (options.mode !== 'min' && options.mode !== 'max') throw new TrainError('TRAIN_INVALID_OPTIONS', `earlyStopping mode "${options.mode}" is not one of min, max`);
  if (!Number.isInteger(options.patience) || options.patience < 1) throw new TrainError('TRAIN_INVALID_OPTIONS', `earlyStopping patience ${options.patience} must be a positive integer`);
  if (!((options.minDelta ?? 0) >= 0)) throw new TrainError('TRAIN_INVALID_OPTIONS', `earlyStopping minDelta ${options.minDelta} must be ≥ 0`);
}

/** The state after an epoch's validation value: whether it improved, and whether to stop now. */
export function observeEpoch(options: EarlyStoppingOptions, state: EarlyStoppingState, value: number, epoch: number): { state: EarlyStoppingState; improved: boolean; stop: boolean } {
  const delta = options.minDelta ?? 0;
  const improved =
    Number.isFinite(value) && (state.best === null || (options.mode === 'min' ? value < state.best - delta : value > state.best + delta));
  const next = improved ? { best: value, bestEpoch: epoch, waited: 0 } : { ...state, waited: state.waited + 1 };
  return { state: next, improved, stop: next.waited >= options.patience };
}
