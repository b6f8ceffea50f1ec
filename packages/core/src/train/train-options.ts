import { TrainError } from '../errors.js';
import type { ClassWeighting } from './class-weights.js';
import { validateEarlyStopping } from './early-stopping.js';
import { validateOptimizer, type OptimizerOptions } from './optimizer.js';
import { validateSchedule, type ScheduleOptions } from './schedule.js';

/**
 * How a head is trained. The shape (and the defaults) follow the pipeline config's `train`
 * section, so a parsed `config.train` can be passed as it is.
 */
export interface TrainOptions {
  /** Maximum passes over the training data. */
  readonly epochs: number;
  /** Examples per optimizer step (the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  readonly optimizer: OptimizerOptions;
  /** Default: cosine, no warm-up. */
  readonly schedule?: ScheduleOptions;
  /** ε of label smoothing, in [0, 1) (default 0). */
  readonly labelSmoothing?: number;
  /** Default 'none'. */
  readonly classWeights?: ClassWeighting;
  /** Clip the gradients' global norm to this; 0 disables (default 0). */
  readonly gradientClip?: number;
  /** Default: enabled on 'loss' (min), patience 5; it only acts when validation data is given. */
  readonly earlyStopping?: {
    readonly enabled?: boolean;
    readonly metric?: string;
    readonly mode?: 'min' | 'max';
    readonly patience?: number;
    readonly minDelta?: number;
  };
  /** Seed of initialisation, shuffling and dropout (default 42). */
  readonly seed?: number;
}

export interface ResolvedTrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: Required<OptimizerOptions>;
  readonly schedule: Required<ScheduleOptions>;
  readonly labelSmoothing: number;
  readonly classWeights: ClassWeighting;
  readonly gradientClip: number;
  readonly earlyStopping: { readonly enabled: boolean; readonly metric: string; readonly mode: 'min' | 'max'; readonly patience: number; readonly minDelta: number };
  readonly seed: number;
}

const LOWER_IS_BETTER = new Set(['loss', 'log-loss', 'brier', 'ece']);

/** Fills the defaults and checks every value; throws TrainError('TRAIN_INVALID_OPTIONS') naming the bad one. */
export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', message);
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw bad(`epochs ${options.epochs} must be a positive integer`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw bad(`batchSize ${options.batchSize} must be a positive integer`);
  if (!options.optimizer) throw bad('optimizer is required: { kind: sgd | adam | adamw, lr }');
  validateOptimizer(options.optimizer);
  const schedule = options.schedule ?? { kind: 'cosine' };
  validateSchedule(schedule);
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw bad(`labelSmoothing ${labelSmoothing} must be in [0, 1)`);
  const gradientClip = options.gradientClip ?? 0;
  if (!(gradientClip >= 0)) throw bad(`gradientClip ${gradientClip} must be ≥ 0`);
  const stop = options.earlyStopping ?? {};
  const metric = stop.metric ?? 'loss';
  const earlyStopping = {
    enabled: stop.enabled ?? true,
    metric,
    mode: stop.mode ?? (LOWER_IS_BETTER.has(metric) ? 'min' : 'max'),
    patience: stop.patience ?? 5,
    minDelta: stop.minDelta ?? 0,
  } as const;
  validateEarlyStopping(earlyStopping);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw bad(`seed ${seed} must be an integer`);
  const o = options.optimizer;
  return {
    epochs: options.epochs,
    batchSize: options.batchSize,
    optimizer: { kind: o.kind, lr: o.lr, momentum: o.momentum ?? 0.9, weightDecay: o.weightDecay ?? 0, betas: [o.betas?.[0] ?? 0.9, o.betas?.[1] ?? 0.999], epsilon: o.epsilon ?? 1e-8 },
    schedule: { kind: schedule.kind, warmupEpochs: schedule.warmupEpochs ?? 0, stepSize: schedule.stepSize ?? 10, gamma: schedule.gamma ?? 0.1 },
    labelSmoothing,
    classWeights: options.classWeights ?? 'none',
    gradientClip,
    earlyStopping,
    seed,
  };
}

/** One finished epoch. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Mean of the epoch's batch losses (weighted, label-smoothed cross-entropy). */
  readonly trainLoss: number;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  /** Validation metrics: loss (cross-entropy), accuracy, and whatever `evaluate` returned. Empty without validation data. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** What the progress callback receives: after reported batches and after every epoch. */
export interface TrainProgress {
  readonly kind: 'batch' | 'epoch';
  /** 1-based epoch being run. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in this epoch (1-based). */
  readonly batch: number;
  readonly batches: number;
  /** Optimizer steps done in the run, and the most it can take (epochs × batches). */
  readonly step: number;
  readonly totalSteps: number;
  readonly lr: number;
  /** batch: that batch's loss; epoch: the epoch's mean training loss. */
  readonly loss: number;
  /** epoch: validation metrics (empty without validation data). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Milliseconds since this fit() started and steps it has done: ETA = elapsedMs / stepsThisRun × (totalSteps − step). */
  readonly elapsedMs: number;
  readonly stepsThisRun: number;
}

/** What every trainer's fit() takes besides its data: validation, progress, checkpoints, resume, abort. */
export interface RunOptions<Validation> {
  /** Scored after every epoch; early stopping watches it. */
  readonly validation?: Validation;
  /** More validation metrics (e.g. from src/eval), merged over the built-in loss and accuracy. */
  readonly evaluate?: (probabilities: Float32Array, labels: Int32Array, classes: number) => Record<string, number>;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Report every n-th batch (its loss is read back for it); 0: epochs only (default 10). */
  readonly progressEvery?: number;
  /** Receives a checkpoint after every epoch (the trainer's own decode function reads it); awaited before the next epoch. */
  readonly onCheckpoint?: (checkpoint: Uint8Array, info: { readonly epoch: number; readonly improved: boolean }) => void | Promise<void>;
  /** Continue the run a checkpoint came from; the result equals that of the uninterrupted run. */
  readonly resumeFrom?: Uint8Array;
  /** Aborting stops between batches, rejecting with the signal's reason. */
  readonly signal?: AbortSignal;
}
