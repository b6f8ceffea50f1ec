import { evaluateClinically, type ClinicalEvaluation, type ClinicalEvaluationOptions, type DecisionParams, type OperatingPointRecord } from '@cvf/core';
import { evaluateSubgroups, type SubgroupAnalysis } from '@cvf/medical';
import type { EvaluatedCases, EvaluateSplit } from './evaluate-cases.js';

/**
 * What `cvf evaluate` reports, and `--json` prints: the model and the cases it was evaluated on,
 * how it decided (the bundle's operating points and referral policy, or argmax), the clinical
 * evaluation of all cases and of each subgroup. Every number of the HTML report is in here.
 */
export interface EvaluationResult {
  model: { name: string; version: number | null; configHash: string; bundle: string };
  dataset: { config: string; split: EvaluateSplit; samples: number };
  /** How the class was decided: the decision stage's operating points that decide, or argmax. */
  decision: { kind: 'operating-points' | 'argmax'; positiveClass: string | null; operatingPoints: OperatingPointRecord[]; referral: boolean };
  /** The classes the headline, the curves and the subgroup tables are about: the positive class, or every class. */
  focusClasses: string[];
  evaluation: ClinicalEvaluation;
  subgroups: SubgroupAnalysis[];
  /** Whether the institution hash used a salt the caller gave (comparable across reports) or a random one. */
  institutionSalt: 'given' | 'random' | null;
  createdAt: string;
}

export interface BuildResultOptions extends ClinicalEvaluationOptions {
  /** The model's classes, in the order of the probabilities. */
  classes: readonly string[];
  /** The params of the bundle's decision stage; null for a bundle without one (argmax, never referred). */
  decision: DecisionParams | null;
  model: EvaluationResult['model'];
  dataset: Omit<EvaluationResult['dataset'], 'samples'>;
  /** The subgroup attributes, in the order of `cases.values`. */
  attributes: readonly { name: string; description: string }[];
  institutionSalt: EvaluationResult['institutionSalt'];
  /** Called before each subgroup attribute is evaluated (the bootstrap takes a moment). */
  onAttribute?: (done: number, total: number) => void;
}

/** The positive class of a two-class decision; otherwise every class (for two classes without one, the second: the finding by convention). */
export function focusClassesOf(classes: readonly string[], positiveClass: string | null): string[] {
  if (positiveClass !== null) return [positiveClass];
  return classes.length === 2 ? [classes[1]!] : [...classes];
}

export function buildEvaluationResult(cases: EvaluatedCases, options: BuildResultOptions): EvaluationResult {
  const { classes, decision } = options;
  const positiveClass = decision?.positiveClass ?? null;
  const input = { labels: cases.labels, probabilities: cases.probabilities, predictions: cases.predictions, referred: decision ? cases.referred : null, classes };
  const evaluation = evaluateClinically(input, options);
  const subgroups = options.attributes.map((attribute, a) => {
    options.onAttribute?.(a, options.attributes.length);
    return evaluateSubgroups(input, cases.values[a]!, attribute, options);
  });
  options.onAttribute?.(options.attributes.length, options.attributes.length);
  // Two classes whose positive class has a point are decided at that point alone (decide.ts).
  const points = decision?.operatingPoints ?? [];
  const positivePoint = points.find((point) => point.label === positiveClass);
  const operatingPoints = positivePoint && classes.length === 2 ? [positivePoint] : points;
  return {
    model: options.model,
    dataset: { ...options.dataset, samples: cases.labels.length },
    decision: { kind: operatingPoints.length > 0 ? 'operating-points' : 'argmax', positiveClass, operatingPoints, referral: decision !== null },
    focusClasses: focusClassesOf(classes, positiveClass),
    evaluation,
    subgroups,
    institutionSalt: options.institutionSalt,
    createdAt: new Date().toISOString(),
  };
}

/** JSON of a result: NaN and ±Infinity (undefined proportions, a never-reached threshold) become null. */
export function evaluationJson(result: EvaluationResult, indent?: number): string {
  return JSON.stringify(result, (_, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), indent);
}
