import type { RetrainDecision } from '@cvf/core';

/** The decision as a few aligned lines: what was promoted (or not) and why, with both models' held-out figures. */
export function printDecision(decision: RetrainDecision): void {
  const { model, alias, champion, challenger, ensemble, test } = decision;
  const promoted = ensemble ?? challenger;
  const figures = (metrics: Readonly<Record<string, number>>) => ['accuracy', 'balanced-accuracy', 'macro-f1', 'ece'].filter((k) => k in metrics).map((k) => `${k} ${metrics[k]!.toFixed(4)}`).join('  ');
  const lines = [
    `decision   ${decision.promoted ? `promoted ${model}@${promoted.version}${ensemble ? ' (champion and challenger averaged)' : ''} to ${alias}` : `kept ${champion ? `${model}@${champion.version}` : 'no version'} at ${alias}`} (${test.selector.kind} selector, ${decision.selected} selected)`,
    `reason     ${decision.reason}`,
    `held-out   ${test.samples} images of the config's test split`,
    champion ? `champion   ${model}@${champion.version}  ${figures(champion.metrics)}` : `champion   none at ${alias}`,
    `challenger ${model}@${challenger.version}  ${figures(challenger.metrics)}`,
    ...(test.ensemble ? [`averaged   ${ensemble ? `${model}@${ensemble.version}  ` : ''}${figures(test.ensemble)}`] : []),
    `run        ${decision.runId} (${decision.seconds.toFixed(1)} s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
