/** What the tracking store records. Times are milliseconds since the Unix epoch. */

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'finished', 'failed', 'killed'];

export interface Experiment {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
}

export interface Run {
  readonly id: string;
  readonly experiment: string;
  readonly name: string | null;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly configHash: string | null;
  readonly gitSha: string | null;
  readonly parentRunId: string | null;
  /** Why a run failed or was killed, when known. */
  readonly failureReason: string | null;
}

export interface RunDetails extends Run {
  readonly params: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
  /** The last value of each metric key. */
  readonly latestMetrics: Readonly<Record<string, number>>;
  readonly artifacts: readonly Artifact[];
}

export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly step: number;
  readonly time: number;
}

export interface Artifact {
  /** Path relative to the run's artifact folder. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ModelVersion {
  readonly name: string;
  readonly version: number;
  readonly runId: string | null;
  /** Where the bundle lives (a folder or .tar path). */
  readonly bundle: string;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly configHash: string | null;
  readonly gitSha: string | null;
  /** SHA-256 of the bundle's canonical manifest when it was registered (null for older versions): loading by NAME@ALIAS checks it. */
  readonly bundleDigest: string | null;
  readonly createdAt: number;
  readonly aliases: readonly string[];
}

export interface AliasChange {
  readonly name: string;
  readonly alias: string;
  readonly version: number;
  readonly previousVersion: number | null;
  readonly changedAt: number;
}
