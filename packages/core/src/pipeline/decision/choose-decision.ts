import type { DecisionParams, OperatingPointRecord } from '../../bundle/kinds/decision.js';
import type { PipelineConfig } from '../../config/schema.js';
import type { OperatingPointTarget } from '../../config/sections/decision.js';
import { PipelineError } from '../../errors.js';
import { operatingPointFor } from './operating-point.js';

/** The validation split as the decision stage needs it: labels and calibrated probabilities (rows × classes). */
export interface DecisionValidation {
  readonly labels: ArrayLike<number>;
  /** Null without a val split. */
  readonly probabilities: ArrayLike<number> | null;
}

/**
 * The decision stage of a training run: each class's operating point (from `decision.classes`, else
 * `decision.operatingPoint`) chosen on the val split's calibrated probabilities one-vs-rest, and the
 * referral policy with its switches resolved.
 */
export function chooseDecision(config: PipelineConfig, classes: readonly string[], val: DecisionValidation): DecisionParams {
  const { decision } = config;
  const positiveClass = decision.positiveClass ?? config.evaluate.positiveClass ?? null;
  for (const [what, label] of [...Object.keys(decision.classes).map((label) => ['decision.classes', label] as const), ['decision.positiveClass', positiveClass] as const]) {
    if (label !== null && !classes.includes(label)) throw new PipelineError('PIPELINE_FAILED', `${what}: "${label}" is not one of the classes: ${classes.join(', ')}`);
  }
  if (decision.positiveClass !== undefined && classes.length !== 2) {
    throw new PipelineError('PIPELINE_FAILED', `decision.positiveClass "${decision.positiveClass}" needs a two-class task; this one has ${classes.length} classes (remove it: a class is then decided)`);
  }
  const targets = classes.map((label) => [label, decision.classes[label] ?? decision.operatingPoint] as const).filter((entry): entry is readonly [string, OperatingPointTarget] => entry[1] !== undefined);
  if (targets.length > 0 && val.probabilities === null) {
    throw new PipelineError('PIPELINE_FAILED', 'decision operating points are chosen on the val split, and it has no images (set data.splits.val, or remove decision.operatingPoint and decision.classes)');
  }
  const operatingPoints: OperatingPointRecord[] = targets.map(([label, point]) => {
    const c = classes.indexOf(label);
    const scores = Array.from({ length: val.labels.length }, (_, row) => val.probabilities![row * classes.length + c]!);
    const oneVsRest = Array.from(val.labels, (l) => (l === c ? 1 : 0));
    return { label, target: point.target, value: point.value, ...operatingPointFor(oneVsRest, scores, point, `decision operating point of "${label}"`) };
  });
  const { referral } = decision;
  return {
    positiveClass: classes.length === 2 ? positiveClass : null,
    operatingPoints,
    valSamples: operatingPoints.length > 0 ? val.labels.length : 0,
    referral: {
      minProbability: referral.minProbability === false ? null : referral.minProbability,
      maxEntropy: referral.maxEntropy === false ? null : referral.maxEntropy,
      knnDisagreement: referral.knnDisagreement,
      knnK: referral.knnK ?? config.index.k,
      noOperatingPoint: referral.noOperatingPoint,
    },
  };
}
