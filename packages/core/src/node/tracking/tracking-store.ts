import type { TrackingError } from '../../errors.js';
import type { FeedbackStore } from '../../monitor/feedback/feedback-label.js';
import type { MonitorEventStore } from '../../monitor/triggers/monitor-event.js';
import type { ModelRegistry, Tracker } from '../../tracking/tracker.js';
import type { Run, RunStatus } from '../../tracking/types.js';
import type { DeleteRunOptions } from './delete-run.js';
import type { RunOverview } from './run-overviews.js';

export type RunFilter = { experiment?: string; status?: RunStatus; parentRunId?: string; limit?: number };

/**
 * A tracking store in Node: runs, the model registry, the monitor's events and fed-back labels,
 * with the files of runs (artifacts, bundles) in a folder. SQLite (a folder) and PostgreSQL
 * (a postgres:// URL) implement it; `openTrackingStore` picks one from a location.
 */
export interface TrackingStore extends Tracker, ModelRegistry, MonitorEventStore, FeedbackStore {
  /** The folder of run files: `artifacts/<runId>/…` and the bundles training writes, `bundles/<runId>`. */
  readonly root: string;
  /** Where the store is, as messages show it: a folder, or a URL without its password. */
  readonly location: string;
  close(): void | Promise<void>;
  /** Where an artifact of a run lives on disk. */
  artifactPath(runId: string, path: string): string;
  /** The full id of the run an id or a unique id prefix names. */
  resolveRunId(idOrPrefix: string): Promise<string>;
  /** Deletes a run's rows, its artifacts and its bundle folder (unless a registered version uses it). */
  deleteRun(runId: string, options?: DeleteRunOptions): Promise<void>;
  renameRun(runId: string, name: string | null): Promise<Run>;
  /** listRuns with each run's tags and latest metrics. */
  listRunOverviews(filter?: RunFilter): Promise<RunOverview[]>;
  /** The names of every registered model, sorted. */
  listModelNames(): Promise<string[]>;
  /** "no model named …", with the models there are, for every lookup of an unknown model. */
  modelNotFound(name: string): Promise<TrackingError>;
}
