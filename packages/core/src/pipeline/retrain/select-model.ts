import { selectByEnsemble } from './ensemble-selector.js';
import type { HeldOutSet, ScoredModel } from './held-out.js';
import { selectByMetric } from './metric-selector.js';
import { selectByRule } from './rule-selector.js';
import type { RetrainSelector, SelectorVerdict } from './selector-verdict.js';

/** A selector's verdict; the ensemble selector adds the averaged model's scores. */
export type SelectionResult = SelectorVerdict & { readonly ensemble?: ScoredModel };

type SelectorOf<K extends RetrainSelector['kind']> = (selector: Extract<RetrainSelector, { kind: K }>, heldOut: HeldOutSet, champion: ScoredModel, challenger: ScoredModel) => SelectionResult;

/** One selector per `monitor.retrain.selector.kind`. */
const SELECTORS: { readonly [K in RetrainSelector['kind']]: SelectorOf<K> } = {
  metric: selectByMetric,
  rule: selectByRule,
  ensemble: selectByEnsemble,
};

/** Champion or challenger (or their average), by the config's selector, on the same held-out set. */
export function selectModel(selector: RetrainSelector, heldOut: HeldOutSet, champion: ScoredModel, challenger: ScoredModel): SelectionResult {
  return (SELECTORS[selector.kind] as SelectorOf<RetrainSelector['kind']>)(selector, heldOut, champion, challenger);
}
