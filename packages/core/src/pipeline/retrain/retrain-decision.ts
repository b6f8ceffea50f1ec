import type { RetrainSelector, SelectedModel } from './selector-verdict.js';

/** A registered model version and its metrics on the held-out set. */
export interface JudgedVersion {
  readonly version: number;
  /** The training run of the version (null for versions registered without one). */
  readonly runId: string | null;
  readonly bundle: string;
  /** Every scalar metric on the held-out set (the config's test split). */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What `cvf retrain` decided and why; `--json` prints it last, and the retraining run keeps it as `retrain-decision.json`. */
export interface RetrainDecision {
  /** Whether the alias now points at the challenger (or at the averaged model). */
  readonly promoted: boolean;
  readonly selected: SelectedModel;
  readonly reason: string;
  readonly model: string;
  /** The alias the champion was read from and the challenger is promoted to. */
  readonly alias: string;
  /** The retraining run (the challenger's training run is its child). */
  readonly runId: string;
  /** The version at the alias before retraining; null when there was none. */
  readonly champion: JudgedVersion | null;
  readonly challenger: JudgedVersion;
  /** The averaged champion+challenger, registered as its own version when the ensemble selector selected it; null otherwise. */
  readonly ensemble: JudgedVersion | null;
  /** The held-out set both were judged on, the selector and its evidence. */
  readonly test: {
    readonly samples: number;
    readonly classes: readonly string[];
    readonly selector: RetrainSelector;
    readonly evidence: object;
    /** The averaged champion+challenger's metrics (ensemble selector only). */
    readonly ensemble?: Readonly<Record<string, number>>;
  };
  readonly seconds: number;
}
