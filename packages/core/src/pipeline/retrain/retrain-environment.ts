import type { Bundle } from '../../bundle/bundle.js';
import type { ModelVersion } from '../../tracking/types.js';
import type { TrainingEnvironment } from '../training-environment.js';

/** A training environment that can also read registered versions (the champion, the challenger) for serving. */
export interface RetrainEnvironment extends TrainingEnvironment {
  /** A registered version's bundle, checked against the digest the registry recorded. */
  loadRegisteredBundle(version: ModelVersion): Promise<Bundle>;
}
