import type { PipelineConfig } from '../../config/schema.js';
import type { DataSource } from '../../config/sections/data.js';
import { runTrainingPipeline, type TrainSummary } from '../train-pipeline.js';
import type { TrainingEnvironment } from '../training-environment.js';
import { halvingRungs, type HalvingRung } from './halving-rungs.js';
import { canWin, rankTrials } from './trial-ranking.js';

type TuneConfig = PipelineConfig['tune'];

/** Tag values a trial's runs carry under `halving`: why that run was the trial's last, or that it went on. */
export const HALVING_TAG = { promoted: 'promoted', stoppedEarly: 'stopped early', completed: 'completed', winner: 'winner' } as const;

/** One trial's last run: where it stopped (or finished) and what it scored there. */
export interface HalvingTrial {
  readonly trial: number;
  readonly summary: TrainSummary;
  /** Epochs the trial was given in all (its last rung's). */
  readonly epochs: number;
  /** Stopped before the last rung. */
  readonly stoppedEarly: boolean;
}

/** What one rung ran and kept. */
export interface RungRecord extends HalvingRung {
  /** The runs of this rung, in trial order. */
  readonly runs: readonly { readonly trial: number; readonly runId: string; readonly value: number | undefined }[];
  /** Trials that went on to the next rung (the winner, on the last), best first. */
  readonly kept: readonly number[];
}

export interface HalvingInput {
  readonly tune: TuneConfig;
  /** One config per trial, already carrying its point (epochs are set per rung). */
  readonly trialConfigs: readonly PipelineConfig[];
  /** The last rung's epochs (tune.halving.maxEpochs, else train.epochs). */
  readonly maxEpochs: number;
  readonly searchRunId: string;
  readonly addedTrainData?: readonly DataSource[];
}

/**
 * Successive halving over the trials: every trial trains the first rung's epochs as a child run of
 * the search; the best 1/η on the validation metric continue — each a new child run resumed from
 * its last checkpoint, given the next rung's epochs in all — and the others are tagged `halving:
 * stopped early` with the epochs and the metric they stopped at. Returns every trial's last run
 * (trial order) and the rungs; the last rung keeps the winner, or none when no trial meets the
 * constraints.
 */
export async function runSuccessiveHalving(input: HalvingInput, env: TrainingEnvironment): Promise<{ trials: HalvingTrial[]; rungs: RungRecord[] }> {
  const { tune, trialConfigs, searchRunId } = input;
  const plan = halvingRungs(trialConfigs.length, { minEpochs: tune.halving.minEpochs, maxEpochs: input.maxEpochs, eta: tune.halving.eta });
  const last = new Map<number, HalvingTrial>();
  const rungs: RungRecord[] = [];
  let alive = trialConfigs.map((_, k) => k);
  for (const [r, rung] of plan.entries()) {
    for (const k of alive) {
      env.signal?.throwIfAborted();
      const before = last.get(k);
      const config = { ...trialConfigs[k]!, train: { ...trialConfigs[k]!.train, epochs: rung.epochs } };
      const summary = await runTrainingPipeline(config, env, {
        parentRunId: searchRunId,
        runName: `${config.name} trial ${k} (${rung.epochs} epoch${rung.epochs === 1 ? '' : 's'})`,
        tags: { trial: String(k), rung: String(r), epochs: String(rung.epochs) },
        ...(before ? { resumeRunId: before.summary.runId } : {}),
        ...(input.addedTrainData ? { addedTrainData: input.addedTrainData } : {}),
      });
      last.set(k, { trial: k, summary, epochs: rung.epochs, stoppedEarly: false });
    }
    const isLast = r === plan.length - 1;
    const ranked = rankTrials(tune, alive.map((k) => ({ trial: k, validation: last.get(k)!.summary.validation })));
    // The last rung keeps the winner only when it can win (has the metric, meets the constraints).
    const kept = (isLast ? ranked.slice(0, 1).filter((t) => canWin(tune, t)) : ranked.slice(0, plan[r + 1]!.trials)).map((t) => t.trial);
    for (const k of alive) {
      const trial = last.get(k)!;
      const value = trial.summary.validation[tune.metric];
      const outcome = kept.includes(k) ? (isLast ? HALVING_TAG.winner : HALVING_TAG.promoted) : isLast ? HALVING_TAG.completed : HALVING_TAG.stoppedEarly;
      const stopped = outcome === HALVING_TAG.stoppedEarly || outcome === HALVING_TAG.completed;
      await env.tracker.setTags(trial.summary.runId, {
        halving: outcome,
        ...(stopped ? { stoppedEpoch: String(rung.epochs), stoppedMetric: tune.metric, ...(value !== undefined ? { stoppedValue: String(value) } : {}) } : {}),
      });
      if (outcome === HALVING_TAG.stoppedEarly) last.set(k, { ...trial, stoppedEarly: true });
    }
    rungs.push({ ...rung, runs: alive.map((k) => ({ trial: k, runId: last.get(k)!.summary.runId, value: last.get(k)!.summary.validation[tune.metric] })), kept });
    alive = [...kept].sort((a, b) => a - b);
  }
  return { trials: [...last.values()].sort((a, b) => a.trial - b.trial), rungs };
}
