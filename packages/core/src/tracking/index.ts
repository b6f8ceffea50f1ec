export type { ModelRegistry, StartRunOptions, Tracker } from './tracker.js';
export * from './types.js';
export { assertAlias, assertArtifactPath, assertMetrics, assertName } from './validate.js';
