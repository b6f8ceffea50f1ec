import type { DecisionOutcome } from './coded-concept.js';

/** What the model found for one image: the predicted class and its probability. */
export interface ReportFinding {
  readonly label: string;
  readonly probability: number;
}

/** The decision at the bundle's operating point, when the bundle makes one. */
export interface ReportDecision {
  readonly outcome: DecisionOutcome;
  /** The operating threshold of the finding's class (on its probability; above 1 when the point never calls it). */
  readonly threshold?: number;
  /** Why, for people: e.g. "Refer — low confidence (max probability 0.54 < 0.70)". */
  readonly reasons?: readonly string[];
}

/** The algorithm identification (after PS3.16 TID 4019): the model name and version, and its config hash as its parameters. */
export interface ReportAlgorithm {
  readonly name: string;
  readonly version: string;
  readonly configHash?: string;
}

/** Date and time of a result object (DA YYYYMMDD, TM HHMMSS), in the local time zone as DICOM dates are. */
export function dicomDateTime(when: Date): { date: string; time: string } {
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${when.getFullYear()}${two(when.getMonth() + 1)}${two(when.getDate())}`,
    time: `${two(when.getHours())}${two(when.getMinutes())}${two(when.getSeconds())}`,
  };
}
