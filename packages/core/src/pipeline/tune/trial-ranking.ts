import type { PipelineConfig } from '../../config/schema.js';

type TuneConfig = PipelineConfig['tune'];

export interface ScoredTrial {
  readonly validation: Readonly<Record<string, number>>;
}

/** Whether a trial's validation metrics meet every constraint of the search. */
export function meetsConstraints(tune: TuneConfig, validation: Readonly<Record<string, number>>): boolean {
  return tune.constraints.every((c) => {
    const value = validation[c.metric];
    return value !== undefined && (c.min === undefined || value >= c.min) && (c.max === undefined || value <= c.max);
  });
}

/** Whether the trial can win: it has the searched metric and meets the constraints. */
export function canWin(tune: TuneConfig, trial: ScoredTrial): boolean {
  return trial.validation[tune.metric] !== undefined && meetsConstraints(tune, trial.validation);
}

/**
 * The trials best first: those that can win, by `tune.metric` in `tune.mode`, then the others.
 * Equal scores — common for accuracy after an epoch or two on a small val split — go to the lower
 * validation loss, then keep their order, so a seeded search ranks the same way every time.
 */
export function rankTrials<T extends ScoredTrial>(tune: TuneConfig, trials: readonly T[]): T[] {
  const sign = tune.mode === 'min' ? 1 : -1;
  const loss = (trial: ScoredTrial) => trial.validation['loss'] ?? Infinity;
  return trials
    .map((trial, order) => ({ trial, order, wins: canWin(tune, trial) }))
    .sort((a, b) => {
      if (a.wins !== b.wins) return a.wins ? -1 : 1;
      const difference = a.wins ? sign * (a.trial.validation[tune.metric]! - b.trial.validation[tune.metric]!) : 0;
      if (difference !== 0) return difference;
      const lossDifference = loss(a.trial) - loss(b.trial);
      return lossDifference < 0 ? -1 : lossDifference > 0 ? 1 : a.order - b.order;
    })
    .map(({ trial }) => trial);
}
