import { metricMode, type ScalarMetricName } from '../../config/sections/common.js';
import { averageProbabilities } from '../ensemble-average.js';
import { scoreModel, type HeldOutSet, type ScoredModel } from './held-out.js';
import { METRIC_TOLERANCE, type RetrainSelector, type SelectorVerdict } from './selector-verdict.js';

export interface EnsembleEvidence {
  readonly metric: ScalarMetricName;
  readonly direction: 'higher' | 'lower';
  readonly champion: number;
  readonly challenger: number;
  /** The metric of the averaged probabilities. */
  readonly ensemble: number;
}

/**
 * The averaged champion+challenger wins when it is strictly better than both members on the
 * metric; otherwise the champion stays (a challenger alone is the metric or rule selector's call).
 * Returns the ensemble's scores beside the verdict, for the decision's record.
 */
export function selectByEnsemble(selector: Extract<RetrainSelector, { kind: 'ensemble' }>, heldOut: HeldOutSet, champion: ScoredModel, challenger: ScoredModel): SelectorVerdict<EnsembleEvidence> & { readonly ensemble: ScoredModel } {
  const { metric } = selector;
  const ensemble = scoreModel(heldOut, averageProbabilities(champion.probabilities, challenger.probabilities));
  const direction = metricMode(metric) === 'min' ? 'lower' : 'higher';
  const better = (a: number, b: number) => (direction === 'higher' ? a > b + METRIC_TOLERANCE : a < b - METRIC_TOLERANCE);
  const evidence: EnsembleEvidence = { metric, direction, champion: champion.evaluation[metric], challenger: challenger.evaluation[metric], ensemble: ensemble.evaluation[metric] };
  const figures = `${metric}: champion ${round(evidence.champion)}, challenger ${round(evidence.challenger)}, averaged ${round(evidence.ensemble)}`;
  const wins = better(evidence.ensemble, evidence.champion) && better(evidence.ensemble, evidence.challenger);
  return wins
    ? { selector: 'ensemble', selected: 'ensemble', reason: `the averaged model beats both members (${figures})`, evidence, ensemble }
    : { selector: 'ensemble', selected: 'champion', reason: `the averaged model does not beat both members (${figures}); the champion stays`, evidence, ensemble };
}

function round(value: number): string {
  return Number.isFinite(value) ? Number(value.toFixed(4)).toString() : String(value);
}
