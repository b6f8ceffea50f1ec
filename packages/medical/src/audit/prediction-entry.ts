import type { AuditEntry, AuditModel, AuditSource } from './audit-record.js';

/** The part of a decision the trail records (core's `Decision` has this shape). */
export interface AuditableDecision {
  readonly outcome: string;
  readonly classIndex: number;
  readonly label: string;
  readonly thresholds: readonly { readonly label: string; readonly threshold: number }[];
}

/** The part of a prediction the trail records: its class and probabilities, and its decision when the bundle decides. */
export interface AuditablePrediction {
  readonly classIndex: number;
  readonly label: string;
  readonly probabilities: readonly number[];
  readonly decision?: AuditableDecision;
}

/**
 * The audit entry of one prediction: its decision (outcome, class, that class's probability, the
 * operating thresholds used) and the model that made it; a prediction without a decision is
 * recorded as `predicted` with its most probable class. `model` is the caller's (a server knows the
 * registry version a bundle was resolved to); `instance` is already the salted hash.
 */
export function predictionAuditEntry(source: AuditSource, prediction: AuditablePrediction, model: AuditModel, instance: string | null): AuditEntry {
  const { decision } = prediction;
  if (!decision) {
    return { source, model, instance, decision: { outcome: 'predicted', class: prediction.label, probability: prediction.probabilities[prediction.classIndex] ?? 0, thresholds: null } };
  }
  const thresholds = decision.thresholds.length === 0 ? null : Object.fromEntries(decision.thresholds.map((t) => [t.label, t.threshold]));
  return {
    source,
    model,
    instance,
    decision: { outcome: decision.outcome, class: decision.label, probability: prediction.probabilities[decision.classIndex] ?? 0, thresholds },
  };
}
