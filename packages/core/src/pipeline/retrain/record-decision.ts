import type { Tracker } from '../../tracking/tracker.js';
import { prefixed } from '../head-training.js';
import { numericLeaves } from './numeric-leaves.js';
import type { RetrainDecision } from './retrain-decision.js';

/** The artifact of the retraining run that holds the whole decision. */
export const RETRAIN_DECISION_ARTIFACT = 'retrain-decision.json';

/** The decision in its run: tags to filter runs by, metrics to chart, and the whole record as an artifact. */
export async function recordDecision(tracker: Tracker, decision: RetrainDecision): Promise<void> {
  const { runId, model } = decision;
  await tracker.setTags(runId, {
    decision: decision.promoted ? 'promoted' : 'kept',
    selected: decision.selected,
    selector: decision.test.selector.kind,
    champion: decision.champion ? `${model}@${decision.champion.version}` : 'none',
    challenger: `${model}@${decision.challenger.version}`,
    ...(decision.ensemble ? { ensemble: `${model}@${decision.ensemble.version}` } : {}),
    reason: decision.reason,
  });
  await tracker.logMetrics(
    runId,
    {
      ...(decision.champion ? prefixed('champion', decision.champion.metrics) : {}),
      ...prefixed('challenger', decision.challenger.metrics),
      ...(decision.test.ensemble ? prefixed('ensemble', decision.test.ensemble) : {}),
      ...prefixed('evidence', numericLeaves(decision.test.evidence)),
      promoted: decision.promoted ? 1 : 0,
      'test.samples': decision.test.samples,
    },
    0,
  );
  await tracker.logArtifact(runId, RETRAIN_DECISION_ARTIFACT, new TextEncoder().encode(`${JSON.stringify(decision, null, 2)}\n`));
}
