// Champion/challenger retraining (`cvf retrain`): the orchestrator, the selectors and the decision record.
export { averageProbabilities } from '../ensemble-average.js';
export { selectByEnsemble, type EnsembleEvidence } from './ensemble-selector.js';
export { scoreModel, type HeldOutSet, type ScoredModel } from './held-out.js';
export { heldOutProbabilities } from './held-out-predictions.js';
export { selectByMetric, type MetricEvidence } from './metric-selector.js';
export type { JudgedVersion, RetrainDecision } from './retrain-decision.js';
export { registerEnsemble } from './ensemble-bundle.js';
export { judgeOnHeldOut, type HeldOutJudgement } from './judge-held-out.js';
export { RETRAIN_DECISION_ARTIFACT } from './record-decision.js';
export type { RetrainEnvironment } from './retrain-environment.js';
export { runRetraining, type RetrainOptions } from './retrain-pipeline.js';
export { selectByRule, type RuleEvidence } from './rule-selector.js';
export { selectModel, type SelectionResult } from './select-model.js';
export type { RetrainSelector, SelectedModel, SelectorVerdict } from './selector-verdict.js';
