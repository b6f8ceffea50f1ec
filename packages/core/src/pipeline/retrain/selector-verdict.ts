import type { PipelineConfig } from '../../config/schema.js';

/** `monitor.retrain.selector` of the pipeline config: metric, rule or ensemble. */
export type RetrainSelector = PipelineConfig['monitor']['retrain']['selector'];

/** Which model a selector picks; `champion` keeps the version in service. */
export type SelectedModel = 'champion' | 'challenger' | 'ensemble';

/** A selector's decision and the figures it rests on (kept in the retraining run). */
export interface SelectorVerdict<Evidence extends object = object> {
  readonly selector: RetrainSelector['kind'];
  readonly selected: SelectedModel;
  /** One sentence a person can read in the run or the CLI. */
  readonly reason: string;
  readonly evidence: Evidence;
}

/** Comparisons of floating-point metrics forgive rounding (0.1 + 0.2 vs 0.3). */
export const METRIC_TOLERANCE = 1e-12;
