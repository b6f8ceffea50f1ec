import type { OperatingPointRecord } from '../../bundle/kinds/decision.js';

/**
 * What a decision says: `positive` / `negative` for a two-class task with a positive class (the
 * finding) at its operating point; `class` when a class is decided (its label in `label`);
 * `refer` when the model is unsure and a reader should decide (`label` is then what it would
 * have decided).
 */
export type DecisionOutcome = 'positive' | 'negative' | 'class' | 'refer';

/** Why a prediction was referred; a decision may have several. */
export type ReferralReason =
  /** The highest class probability is below the policy's limit. */
  | { readonly code: 'low-probability'; readonly maxProbability: number; readonly limit: number }
  /** The normalised entropy of the probabilities is above the policy's limit. */
  | { readonly code: 'high-entropy'; readonly entropy: number; readonly limit: number }
  /** The vote of the similar training cases names another class than the one decided. */
  | { readonly code: 'knn-disagreement'; readonly decidedLabel: string; readonly knnLabel: string; readonly knnAgreement: number }
  /** Operating points decide a class and none reached its threshold. */
  | { readonly code: 'no-operating-point' };

/** How the class was decided, then why it was referred, if it was. */
export type DecisionReason =
  /** No operating point applied: the most probable class. */
  | { readonly code: 'argmax'; readonly label: string; readonly probability: number }
  /** The class's probability against its operating point's threshold (reached or, for `negative`, not). */
  | { readonly code: 'operating-point'; readonly label: string; readonly probability: number; readonly threshold: number; readonly reached: boolean; readonly target: OperatingPointRecord['target']; readonly value: number }
  | ReferralReason;

/** How sure the model is, by three signals the referral policy reads. */
export interface DecisionUncertainty {
  /** The highest class probability. */
  readonly maxProbability: number;
  /** Entropy of the probabilities over ln(classes): 0 when one class is certain, 1 when all are equal. */
  readonly entropy: number;
  /** Share of the similar cases' vote that goes to the class decided; null when no similar case has a known label. */
  readonly knnAgreement: number | null;
  /** The class the similar cases vote for; null when none has a known label. */
  readonly knnLabel: string | null;
}

/** A similar training case attached to the decision: its id, class and similarity score. */
export interface DecisionEvidence {
  readonly id: string;
  readonly label: string;
  readonly score: number;
}

/** The model that decided, as a record must name it. */
export interface DecisionModel {
  readonly name: string;
  /** Registry version; null for a bundle that was not registered. */
  readonly version: number | null;
  readonly configHash: string;
}

/**
 * The decision a prediction carries: the record the audit trail appends and the clinical
 * evaluation scores. `cvf predict`, the edge runtime and the viewer show `summary`.
 */
export interface Decision {
  readonly outcome: DecisionOutcome;
  /** The class decided (for `refer`: the one it would have been). */
  readonly classIndex: number;
  readonly label: string;
  /** One line for people, e.g. "Refer — uncertain (entropy 0.82)" or "Positive (pneumonia) at the 95%-sensitivity point". */
  readonly summary: string;
  /** How the class was decided first, then every referral reason. */
  readonly reasons: readonly DecisionReason[];
  /** The two-class task's finding; null when a class is decided. */
  readonly positiveClass: string | null;
  /** The operating points the bundle holds (chosen on its val split), as used; empty when argmax decides. */
  readonly thresholds: readonly OperatingPointRecord[];
  readonly uncertainty: DecisionUncertainty;
  /** The similar training cases that voted, most similar first. */
  readonly evidence: readonly DecisionEvidence[];
  readonly model: DecisionModel;
}
