export { chooseDecision, type DecisionValidation } from './choose-decision.js';
export { decide, type DecisionInputs } from './decide.js';
export type { Decision, DecisionEvidence, DecisionModel, DecisionOutcome, DecisionReason, DecisionUncertainty, ReferralReason } from './decision.js';
export { operatingPointFor } from './operating-point.js';
export { decisionSummary } from './summary.js';
export { knnAgreementWith, normalisedEntropy } from './uncertainty.js';
