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
 * The trials best first: those that can win, by `tune.metric` in `tune.mode`, then the others;
 * equal trials keep their order, so a seeded search ranks the same way every time.
 */
export function rankTrials<T extends ScoredTrial>(tune: TuneConfig, trials: readonly T[]): T[] {
  const sign = tune.mode === 'min' ? 1 : -1;
  return trials
    .map((trial, order) => ({ trial, order, wins: canWin(tune, trial) }))
    .sort((a, b) => {
      if (a.wins !== b.wins) return a.wins ? -1 : 1;
      const difference = a.wins ? sign * (a.trial.validation[tune.metric]! - b.trial.validation[tune.metric]!) : 0;
      return difference !== 0 ? difference : a.order - b.order;
    })
    .map(({ trial }) => trial);
}
