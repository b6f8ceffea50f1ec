import { EvalError, evaluateClinically, OPERATING_POINT_METRICS, type ClinicalEvaluation, type ClinicalEvaluationInput, type ClinicalEvaluationOptions, type OperatingPointMetric } from '@cvf/core';

/**
 * The clinical evaluation of each subgroup of an attribute (one group per value; cases without
 * the attribute form the group `(missing)`), and per class and metric the largest gap between
 * two groups: a reviewer's first question is whether the model works as well for every scanner
 * maker, sex or age.
 */

export const MISSING_VALUE = '(missing)';

/** The metrics compared between groups: the operating-point proportions and the ROC-AUC. */
export const GAP_METRICS = [...OPERATING_POINT_METRICS, 'auc'] as const;
export type GapMetric = OperatingPointMetric | 'auc';

export interface GroupValue {
  group: string;
  estimate: number;
  low: number;
  high: number;
  /** Cases the value is over (e.g. the group's positives for sensitivity; all its cases for the AUC). */
  cases: number;
}

export interface SubgroupGap {
  label: string;
  metric: GapMetric;
  /** The groups with the lowest and the highest value, with their intervals. */
  lowest: GroupValue;
  highest: GroupValue;
  /** highest − lowest. */
  difference: number;
  /** The intervals do not overlap: a gap unlikely to be chance alone at the report's level. */
  separated: boolean;
}

export interface Subgroup {
  value: string;
  samples: number;
  evaluation: ClinicalEvaluation;
}

export interface SubgroupAnalysis {
  attribute: string;
  description: string;
  groups: Subgroup[];
  /** Per class and metric, the largest gap; absent where fewer than two groups define the metric. */
  gaps: SubgroupGap[];
}

/** The rows of `input` whose value is `value`. */
function subset(input: ClinicalEvaluationInput, rows: readonly number[]): ClinicalEvaluationInput {
  const numClasses = input.classes.length;
  const probabilities = new Float64Array(rows.length * numClasses);
  rows.forEach((row, i) => probabilities.set(input.probabilities.subarray(row * numClasses, (row + 1) * numClasses), i * numClasses));
  return {
    labels: Int32Array.from(rows, (row) => input.labels[row]!),
    probabilities,
    predictions: Int32Array.from(rows, (row) => input.predictions[row]!),
    referred: input.referred ? Uint8Array.from(rows, (row) => input.referred![row]!) : null,
    classes: input.classes,
  };
}

function valueOf(evaluation: ClinicalEvaluation, classIndex: number, metric: GapMetric, group: string): GroupValue {
  if (metric === 'auc') {
    const { auc, positives, negatives } = evaluation.curves[classIndex]!;
    return { group, estimate: auc.estimate, low: auc.low, high: auc.high, cases: positives + negatives };
  }
  const interval = evaluation.operatingPoint.perClass[classIndex]![metric];
  return { group, estimate: interval.estimate, low: interval.low, high: interval.high, cases: interval.trials };
}

/** Per class and metric, the two groups furthest apart (groups where the metric is undefined are left out). */
export function largestGaps(groups: readonly Subgroup[], classes: readonly string[]): SubgroupGap[] {
  const gaps: SubgroupGap[] = [];
  classes.forEach((label, c) => {
    for (const metric of GAP_METRICS) {
      const values = groups.map((g) => valueOf(g.evaluation, c, metric, g.value)).filter((v) => Number.isFinite(v.estimate));
      if (values.length < 2) continue;
      const lowest = values.reduce((a, b) => (b.estimate < a.estimate ? b : a));
      // Ties: the first lowest and the last highest, so equal groups still name two groups.
      const highest = values.reduce((a, b) => (b.estimate >= a.estimate ? b : a));
      gaps.push({ label, metric, lowest, highest, difference: highest.estimate - lowest.estimate, separated: lowest.high < highest.low });
    }
  });
  return gaps;
}

/** Groups `input` by `values` (one per case; undefined → `(missing)`), evaluates each group and finds the largest gaps. */
export function evaluateSubgroups(
  input: ClinicalEvaluationInput,
  values: readonly (string | undefined)[],
  attribute: { name: string; description: string },
  options: ClinicalEvaluationOptions = {},
): SubgroupAnalysis {
  if (values.length !== input.labels.length) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `evaluateSubgroups: ${values.length} values of ${attribute.name} for ${input.labels.length} cases; expected one per case`);
  }
  const rowsByValue = new Map<string, number[]>();
  values.forEach((value, row) => {
    const key = value ?? MISSING_VALUE;
    const rows = rowsByValue.get(key);
    if (rows) rows.push(row);
    else rowsByValue.set(key, [row]);
  });
  // Largest groups first; the missing group last, as a reader expects.
  const ordered = [...rowsByValue.entries()].sort(([a, ra], [b, rb]) => Number(a === MISSING_VALUE) - Number(b === MISSING_VALUE) || rb.length - ra.length || a.localeCompare(b));
  const groups = ordered.map(([value, rows]): Subgroup => ({ value, samples: rows.length, evaluation: evaluateClinically(subset(input, rows), options) }));
  return { attribute: attribute.name, description: attribute.description, groups, gaps: largestGaps(groups, input.classes) };
}
