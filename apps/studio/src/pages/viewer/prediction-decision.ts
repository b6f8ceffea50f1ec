import type { Prediction } from '@cvf/core';

export interface Decision {
  readonly label: string;
  readonly probability: number;
  /** The bundle's operating threshold for that class; null when the bundle has none for it. */
  readonly threshold: number | null;
  /** The model is not confident enough to stand on its own: a reader should look (probability below the threshold). */
  readonly refer: boolean;
}

/** The predicted class against the bundle's per-class thresholds (its `thresholds` stage). */
export function decide(prediction: Prediction, perClass: Readonly<Record<string, number>> | null): Decision {
  const probability = prediction.probabilities[prediction.classIndex]!;
  const threshold = perClass?.[prediction.label] ?? null;
  return { label: prediction.label, probability, threshold, refer: threshold !== null && probability < threshold };
}
