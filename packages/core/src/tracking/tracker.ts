import type { AliasChange, Artifact, Experiment, MetricPoint, ModelVersion, Run, RunDetails, RunStatus } from './types.js';

export interface StartRunOptions {
  readonly experiment: string;
  readonly name?: string;
  readonly configHash?: string;
  readonly gitSha?: string;
  /** A tuning trial is a child of the search's run. */
  readonly parentRunId?: string;
}

/**
 * Records runs: params, metrics over steps, tags, artifacts. Implemented by the SQLite store in
 * Node (@cvf/core/node) and by an HTTP client in the browser; both behind this one interface.
 */
export interface Tracker {
  getOrCreateExperiment(name: string): Promise<Experiment>;
  listExperiments(): Promise<Experiment[]>;
  startRun(options: StartRunOptions): Promise<Run>;
  logParams(runId: string, params: Readonly<Record<string, unknown>>): Promise<void>;
  /** Several metrics of one step, written together (one transaction). */
  logMetrics(runId: string, metrics: Readonly<Record<string, number>>, step: number): Promise<void>;
  setTags(runId: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** Copies `bytes` into the run's artifact folder under `path`. */
  logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<Artifact>;
  /** The bytes of an artifact a run logged (TRACKING_NOT_FOUND when it has none by that path). */
  readArtifact(runId: string, path: string): Promise<Uint8Array>;
  endRun(runId: string, status: Exclude<RunStatus, 'running'>, failureReason?: string): Promise<Run>;
  getRun(runId: string): Promise<RunDetails>;
  listRuns(filter?: { experiment?: string; status?: RunStatus; parentRunId?: string; limit?: number }): Promise<Run[]>;
  getMetricHistory(runId: string, key?: string): Promise<MetricPoint[]>;
}

/** Versions of named models, and the aliases (`staging`, `production`) that point at them. */
export interface ModelRegistry {
  registerVersion(name: string, version: { runId?: string; bundle: string; metrics: Readonly<Record<string, unknown>>; configHash?: string; gitSha?: string; bundleDigest?: string }): Promise<ModelVersion>;
  /** Every version of every model (or of one), newest first. */
  listVersions(name?: string): Promise<ModelVersion[]>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  getByAlias(name: string, alias: string): Promise<ModelVersion | null>;
  setAlias(name: string, version: number, alias: string): Promise<ModelVersion>;
  aliasHistory(name: string, alias?: string): Promise<AliasChange[]>;
}
