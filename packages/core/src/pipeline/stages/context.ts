import type { PipelineConfig } from '../../config/schema.js';
import type { PipelineProgress, TrainingEnvironment } from '../training-environment.js';

/** What every training stage is given: the config, where it runs, its run, and the progress sink. */
export interface StageRun {
  readonly config: PipelineConfig;
  readonly env: TrainingEnvironment;
  readonly runId: string;
  readonly progress: (progress: PipelineProgress) => void;
}
