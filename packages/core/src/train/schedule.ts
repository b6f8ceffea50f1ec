import { TrainError } from '../errors.js';

export type ScheduleKind = 'constant' | 'cosine' | 'step';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'cosine', 'step'];

export interface ScheduleOptions {
  readonly kind: ScheduleKind;
  /** Epochs of linear warm-up from lr / warm-up steps to lr, per step (default 0). */
  readonly warmupEpochs?: number;
  /** step: epochs between decays (default 10). */
  readonly stepSize?: number;
  /** step: decay factor (default 0.1). */
  readonly gamma?: number;
}

export function validateSchedule(schedule: ScheduleOptions): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', message);
  if (!SCHEDULE_KINDS.includes(schedule.kind)) throw bad(`schedule "${schedule.kind}" is not one of ${SCHEDULE_KINDS.join(', ')}`);
  const warmup = schedule.warmupEpochs ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0) throw bad(`schedule warmupEpochs ${warmup} must be a non-negative integer`);
  const stepSize = schedule.stepSize ?? 10;
  if (!Number.isInteger(stepSize) || stepSize < 1) throw bad(`schedule stepSize ${stepSize} must be a positive integer`);
  const gamma = schedule.gamma ?? 0.1;
  if (!(gamma > 0 && gamma <= 1)) throw bad(`schedule gamma ${gamma} must be in (0, 1]`);
}

/**
 * The learning rate of optimizer step `step` (0-based, counted over the whole run):
 * linear warm-up over the first `warmupEpochs` epochs, then
 * - constant: lr;
 * - cosine: lr·½(1 + cos(π·progress)), progress from 0 after warm-up towards 1 at the last step;
 * - step: lr·γ^⌊(epoch − warmupEpochs) / stepSize⌋.
 */
export function learningRateAt(schedule: ScheduleOptions, lr: number, step: number, stepsPerEpoch: number, epochs: number): number {
  const warmupSteps = (schedule.warmupEpochs ?? 0) * stepsPerEpoch;
  if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'cosine': {
      const span = Math.max(1, epochs * stepsPerEpoch - warmupSteps);
      return lr * 0.5 * (1 + Math.cos((Math.PI * (step - warmupSteps)) / span));
    }
    case 'step': {
      const epoch = Math.floor(step / stepsPerEpoch);
      return lr * (schedule.gamma ?? 0.1) ** Math.floor((epoch - (schedule.warmupEpochs ?? 0)) / (schedule.stepSize ?? 10));
    }
  }
}
