import type { Prediction } from '@cvf/core';
import type { ReportAlgorithm, ReportDecision, ReportFinding } from './report-content.js';

/** What a report of `prediction` says: the class decided and its probability, the decision, and the model that made it. */
export function reportContentOf(prediction: Pick<Prediction, 'probabilities' | 'decision'>): { finding: ReportFinding; decision: ReportDecision; algorithm: ReportAlgorithm } {
  const { decision } = prediction;
  const operatingPoint = decision.reasons.find((reason) => reason.code === 'operating-point');
  return {
    finding: { label: decision.label, probability: prediction.probabilities[decision.classIndex]! },
    decision: {
      outcome: decision.outcome,
      ...(operatingPoint && { threshold: operatingPoint.threshold }),
      reasons: [decision.summary],
    },
    // A bundle that was never registered has no version: the SR still names one.
    algorithm: { name: decision.model.name, version: decision.model.version === null ? 'unregistered' : String(decision.model.version), configHash: decision.model.configHash },
  };
}
