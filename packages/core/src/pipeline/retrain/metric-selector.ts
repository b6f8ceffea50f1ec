import { metricMode, type ScalarMetricName } from '../../config/sections/common.js';
import { discordantPairs, mcnemarTest, type McNemarResult } from '../../eval/mcnemar.js';
import type { HeldOutSet, ScoredModel } from './held-out.js';
import { METRIC_TOLERANCE, type RetrainSelector, type SelectorVerdict } from './selector-verdict.js';

export interface MetricEvidence {
  readonly metric: ScalarMetricName;
  readonly direction: 'higher' | 'lower';
  readonly champion: number;
  readonly challenger: number;
  /** How much better the challenger is, in the metric's units (negative: worse). */
  readonly improvement: number;
  readonly margin: number;
  readonly alpha: number;
  /** McNemar's test on the paired correct/incorrect predictions: b = only the champion right, c = only the challenger right. */
  readonly mcnemar: McNemarResult;
}

/**
 * The challenger wins when it is better on the metric by at least `margin` AND McNemar's test says
 * its paired predictions differ from the champion's (p < alpha) in its favour (c > b). A margin alone
 * can be luck on a small test split; the test alone can favour a negligible gain.
 */
export function selectByMetric(selector: Extract<RetrainSelector, { kind: 'metric' }>, heldOut: HeldOutSet, champion: ScoredModel, challenger: ScoredModel): SelectorVerdict<MetricEvidence> {
  const { metric, margin, alpha } = selector;
  const direction = metricMode(metric) === 'min' ? 'lower' : 'higher';
  const championValue = champion.evaluation[metric];
  const challengerValue = challenger.evaluation[metric];
  const improvement = direction === 'higher' ? challengerValue - championValue : championValue - challengerValue;
  const { b, c } = discordantPairs(heldOut.labels, champion.predictions, challenger.predictions);
  const mcnemar = mcnemarTest(b, c);
  const evidence: MetricEvidence = { metric, direction, champion: championValue, challenger: challengerValue, improvement, margin, alpha, mcnemar };
  const figures = `${metric} ${format(championValue)} → ${format(challengerValue)}, McNemar (${mcnemar.method}) b=${b} c=${c} p=${format(mcnemar.pValue)}`;
  if (!Number.isFinite(improvement)) {
    return { selector: 'metric', selected: 'champion', reason: `${metric} is undefined on the held-out set for one of the models (${figures}); the champion stays`, evidence };
  }
  if (improvement + METRIC_TOLERANCE < margin) {
    return { selector: 'metric', selected: 'champion', reason: `the challenger is not better by the margin ${margin} (${figures})`, evidence };
  }
  if (!(mcnemar.pValue < alpha) || c <= b) {
    return { selector: 'metric', selected: 'champion', reason: `the paired predictions do not differ significantly in the challenger's favour at alpha ${alpha} (${figures})`, evidence };
  }
  return { selector: 'metric', selected: 'challenger', reason: `the challenger is better by ${format(improvement)} ≥ ${margin} and significantly so (${figures})`, evidence };
}

function format(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value);
}
