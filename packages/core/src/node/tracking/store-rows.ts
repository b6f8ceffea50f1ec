import type { MonitorEvent } from '../../monitor/triggers/monitor-event.js';
import type { ModelVersion, Run, RunStatus } from '../../tracking/types.js';

// The rows both tracking stores (SQLite and PostgreSQL) read, and what they become: the two
// schemas have the same columns, so one mapping serves both.

export interface RunRow {
  id: string;
  experiment: string;
  name: string | null;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  config_hash: string | null;
  git_sha: string | null;
  parent_run_id: string | null;
  failure_reason: string | null;
}

export interface VersionRow {
  name: string;
  version: number;
  run_id: string | null;
  bundle: string;
  metrics: string;
  config_hash: string | null;
  git_sha: string | null;
  bundle_digest: string | null;
  created_at: number;
  /** The version's aliases, comma-separated (null: none). */
  aliases: string | null;
}

export interface EventRow {
  id: number;
  time: number;
  kind: MonitorEvent['kind'];
  trigger_name: string;
  model: string | null;
  version: string | null;
  action: MonitorEvent['action'];
  figures: string;
  outcome: string | null;
}

export const EVENT_COLUMNS = 'id, time, kind, trigger_name, model, version, action, figures, outcome';

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    experiment: row.experiment,
    name: row.name,
    status: row.status,
    startTime: row.start_time,
    endTime: row.end_time,
    configHash: row.config_hash,
    gitSha: row.git_sha,
    parentRunId: row.parent_run_id,
    failureReason: row.failure_reason,
  };
}

export function toVersion(row: VersionRow): ModelVersion {
  return {
    name: row.name,
    version: row.version,
    runId: row.run_id,
    bundle: row.bundle,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
    configHash: row.config_hash,
    gitSha: row.git_sha,
    bundleDigest: row.bundle_digest,
    createdAt: row.created_at,
    aliases: row.aliases ? row.aliases.split(',').sort() : [],
  };
}

export function toEvent(row: EventRow): MonitorEvent {
  return {
    id: row.id,
    time: row.time,
    kind: row.kind,
    trigger: row.trigger_name,
    model: row.model,
    version: row.version,
    action: row.action,
    figures: JSON.parse(row.figures) as Record<string, unknown>,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as Record<string, unknown>),
  };
}
