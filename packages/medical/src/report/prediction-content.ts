import type { Prediction } from '@cvf/core';
import type { ReportAlgorithm, ReportDecision, ReportFinding } from './report-content.js';

/** Typography of the decision summary in ASCII, so an SR of a de-identified or ASCII-named source stays in the default character repertoire. */
const ASCII_PUNCTUATION: readonly (readonly [RegExp, string])[] = [
  [/[\u2013\u2014]/g, '-'],
  [/\u2265/g, '>='],
  [/\u2264/g, '<='],
  [/[\u2018\u2019]/g, "'"],
  [/\u2026/g, '...'],
];

export function asciiPunctuation(text: string): string {
  return ASCII_PUNCTUATION.reduce((out, [pattern, ascii]) => out.replace(pattern, ascii), text);
}

/** What a report of `prediction` says: the class decided and its probability, the decision, and the model that made it. */
export function reportContentOf(prediction: Pick<Prediction, 'probabilities' | 'decision'>): { finding: ReportFinding; decision: ReportDecision; algorithm: ReportAlgorithm } {
  const { decision } = prediction;
  const operatingPoint = decision.reasons.find((reason) => reason.code === 'operating-point');
  return {
    finding: { label: decision.label, probability: prediction.probabilities[decision.classIndex]! },
    decision: {
      outcome: decision.outcome,
      ...(operatingPoint && { threshold: operatingPoint.threshold }),
      reasons: [asciiPunctuation(decision.summary)],
    },
    // A bundle that was never registered has no version: the SR still names one.
    algorithm: { name: decision.model.name, version: decision.model.version === null ? 'unregistered' : String(decision.model.version), configHash: decision.model.configHash },
  };
}
