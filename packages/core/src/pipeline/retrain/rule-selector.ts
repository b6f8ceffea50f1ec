import type { HeldOutSet, ScoredModel } from './held-out.js';
import { METRIC_TOLERANCE, type RetrainSelector, type SelectorVerdict } from './selector-verdict.js';

export interface RuleEvidence {
  /** Each class present in the held-out set: its sensitivity (recall) under both models, and the drop (positive: the challenger is worse). */
  readonly sensitivity: readonly { readonly label: string; readonly champion: number; readonly challenger: number; readonly drop: number }[];
  readonly maxSensitivityDrop: number;
  readonly ece: { readonly champion: number; readonly challenger: number; readonly increase: number };
  readonly maxEceIncrease: number;
  /** The rules the challenger broke, as sentences; empty when it passed. */
  readonly violations: readonly string[];
}

/**
 * Safety rules instead of a score: the challenger wins unless some class's sensitivity drops by
 * more than `maxSensitivityDrop` or its expected calibration error grows by more than
 * `maxEceIncrease` — a model may not buy overall accuracy with one finding missed more often.
 */
export function selectByRule(selector: Extract<RetrainSelector, { kind: 'rule' }>, heldOut: HeldOutSet, champion: ScoredModel, challenger: ScoredModel): SelectorVerdict<RuleEvidence> {
  const { maxSensitivityDrop, maxEceIncrease } = selector;
  const sensitivity = heldOut.classes.flatMap((label, c) => {
    const before = champion.evaluation.perClass[c]!;
    const after = challenger.evaluation.perClass[c]!;
    // A class absent from the held-out set has no sensitivity to compare.
    if (before.support === 0) return [];
    return [{ label, champion: before.recall, challenger: after.recall, drop: before.recall - after.recall }];
  });
  const ece = { champion: champion.evaluation.ece, challenger: challenger.evaluation.ece, increase: challenger.evaluation.ece - champion.evaluation.ece };
  const violations = [
    ...sensitivity
      .filter((s) => s.drop > maxSensitivityDrop + METRIC_TOLERANCE)
      .map((s) => `sensitivity of ${s.label} drops by ${round(s.drop)} (${round(s.champion)} → ${round(s.challenger)}) > ${maxSensitivityDrop}`),
    ...(ece.increase > maxEceIncrease + METRIC_TOLERANCE ? [`ECE grows by ${round(ece.increase)} (${round(ece.champion)} → ${round(ece.challenger)}) > ${maxEceIncrease}`] : []),
  ];
  const evidence: RuleEvidence = { sensitivity, maxSensitivityDrop, ece, maxEceIncrease, violations };
  if (violations.length > 0) return { selector: 'rule', selected: 'champion', reason: `the challenger breaks ${violations.length === 1 ? 'a rule' : `${violations.length} rules`}: ${violations.join('; ')}`, evidence };
  const worst = Math.max(0, ...sensitivity.map((s) => s.drop));
  return { selector: 'rule', selected: 'challenger', reason: `no class's sensitivity drops by more than ${maxSensitivityDrop} (largest drop ${round(worst)}) and ECE changes by ${round(ece.increase)} ≤ ${maxEceIncrease}`, evidence };
}

function round(value: number): string {
  return Number(value.toFixed(4)).toString();
}
