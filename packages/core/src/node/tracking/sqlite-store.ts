import Sqlite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TrackingError } from '../../errors.js';
import type { FeedbackLabel } from '../../monitor/feedback/feedback-label.js';
import type { MonitorEvent, MonitorEventFilter, NewMonitorEvent } from '../../monitor/triggers/monitor-event.js';
import type { StartRunOptions } from '../../tracking/tracker.js';
import type { AliasChange, Artifact, Experiment, MetricPoint, ModelVersion, Run, RunDetails, RunStatus } from '../../tracking/types.js';
import { assertAlias, assertArtifactPath, assertMetrics, assertName } from '../../tracking/validate.js';
import { deleteRunRows, type DeleteRunOptions } from './delete-run.js';
import { insertMonitorEvent, selectMonitorEvents, selectRecentFeedback, updateMonitorEventOutcome, upsertFeedback } from './monitor-rows.js';
import { markOrphanedRunsFailed } from './orphaned-runs.js';
import { attachOverviews, type RunOverview } from './run-overviews.js';
import { artifactFilePath, removeRunFiles, writeArtifactFile } from './run-files.js';
import { migrate } from './schema.js';
import type { RunFilter, TrackingStore } from './tracking-store.js';
import { toRun, toVersion, type RunRow, type VersionRow } from './store-rows.js';

const RUN_COLUMNS = `r.id, e.name AS experiment, r.name, r.status, r.start_time, r.end_time, r.config_hash, r.git_sha, r.parent_run_id, r.failure_reason`;
const VERSION_COLUMNS = `v.name, v.version, v.run_id, v.bundle, v.metrics, v.config_hash, v.git_sha, v.bundle_digest, v.created_at,
  (SELECT group_concat(a.alias, ',') FROM aliases a WHERE a.name = v.name AND a.version = v.version) AS aliases`;

/**
 * The default tracking store: SQLite in WAL mode (`<root>/tracking.db`) plus an artifact folder
 * (`<root>/artifacts/<runId>/...`). Every write is one transaction, so a process killed at any
 * moment leaves a consistent database; runs left `running` by a dead process are marked failed
 * when a store is next opened. Write transactions begin IMMEDIATE (the write lock first, waited
 * for up to busy_timeout): a deferred one that reads before it writes fails at once with
 * SQLITE_BUSY_SNAPSHOT when another process committed in between — which 4 processes logging
 * metrics into one store did within a few hundred steps (bench/tracking).
 */
export class SqliteTrackingStore implements TrackingStore {
  readonly root: string;
  readonly #db: Sqlite.Database;

  private constructor(root: string, db: Sqlite.Database) {
    this.root = root;
    this.#db = db;
  }

  /** Opens (creating if needed) the store under `root` (default `.cvf` of the working folder). */
  static open(root = '.cvf'): SqliteTrackingStore {
    let db: Sqlite.Database;
    try {
      mkdirSync(join(root, 'artifacts'), { recursive: true });
      db = new Sqlite(join(root, 'tracking.db'));
      // The lock wait first: switching a new database to WAL takes a lock that another process
      // opening the same store may hold.
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (cause) {
      throw new TrackingError('TRACKING_STORE_FAILED', `cannot open the tracking store at ${root}: ${(cause as Error).message}`, { cause });
    }
    markOrphanedRunsFailed(db);
    return new SqliteTrackingStore(root, db);
  }

  get location(): string {
    return this.root;
  }

  close(): void {
    this.#db.close();
  }

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    return this.#experiment(name);
  }

  async listExperiments(): Promise<Experiment[]> {
    return this.#db.prepare('SELECT id, name, created_at AS createdAt FROM experiments ORDER BY id').all() as Experiment[];
  }

  async startRun(options: StartRunOptions): Promise<Run> {
    const id = randomUUID().replaceAll('-', '');
    this.#db.transaction(() => {
      const experiment = this.#experiment(options.experiment);
      if (options.parentRunId) this.#runRow(options.parentRunId);
      this.#db
        .prepare(
          `INSERT INTO runs (id, experiment_id, name, status, start_time, config_hash, git_sha, parent_run_id, pid, host)
           VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, experiment.id, options.name ?? null, Date.now(), options.configHash ?? null, options.gitSha ?? null, options.parentRunId ?? null, process.pid, hostname());
    }).immediate();
    return toRun(this.#runRow(id));
  }

  async logParams(runId: string, params: Readonly<Record<string, unknown>>): Promise<void> {
    const insert = this.#db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value');
    this.#db.transaction(() => {
      this.#runningRow(runId);
      for (const [key, value] of Object.entries(params)) insert.run(runId, key, JSON.stringify(value ?? null));
    }).immediate();
  }

  async logMetrics(runId: string, metrics: Readonly<Record<string, number>>, step: number): Promise<void> {
    assertMetrics(metrics, step);
    const insert = this.#db.prepare('INSERT INTO metrics (run_id, key, value, step, time) VALUES (?, ?, ?, ?, ?)');
    const time = Date.now();
    this.#db.transaction(() => {
      this.#runningRow(runId);
      for (const [key, value] of Object.entries(metrics)) insert.run(runId, key, value, step, time);
    }).immediate();
  }

  async setTags(runId: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const insert = this.#db.prepare('INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value');
    this.#db.transaction(() => {
      this.#runRow(runId);
      for (const [key, value] of Object.entries(tags)) insert.run(runId, key, String(value));
    }).immediate();
  }

  async logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<Artifact> {
    assertArtifactPath(path);
    this.#runRow(runId);
    const artifact = writeArtifactFile(this.root, runId, path, bytes);
    this.#db
      .prepare('INSERT INTO artifacts (run_id, path, size, sha256) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256')
      .run(runId, artifact.path, artifact.size, artifact.sha256);
    return artifact;
  }

  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    assertArtifactPath(path);
    this.#runRow(runId);
    if (!this.#db.prepare('SELECT 1 FROM artifacts WHERE run_id = ? AND path = ?').get(runId, path)) {
      throw new TrackingError('TRACKING_NOT_FOUND', `run ${runId} has no artifact "${path}"`);
    }
    return readFileSync(this.artifactPath(runId, path));
  }

  /** Where an artifact of a run lives on disk. */
  artifactPath(runId: string, path: string): string {
    return artifactFilePath(this.root, runId, path);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>, failureReason?: string): Promise<Run> {
    if (!['finished', 'failed', 'killed'].includes(status)) throw new TrackingError('TRACKING_INVALID', `a run ends as finished, failed or killed, not "${status}"`);
    this.#db.transaction(() => {
      this.#runningRow(runId);
      this.#db.prepare('UPDATE runs SET status = ?, end_time = ?, failure_reason = ? WHERE id = ?').run(status, Date.now(), failureReason ?? null, runId);
    }).immediate();
    return toRun(this.#runRow(runId));
  }

  async getRun(runId: string): Promise<RunDetails> {
    const run = toRun(this.#runRow(runId));
    const params = Object.fromEntries(
      (this.#db.prepare('SELECT key, value FROM params WHERE run_id = ? ORDER BY key').all(runId) as { key: string; value: string }[]).map((p) => [p.key, JSON.parse(p.value)]),
    );
    const tags = Object.fromEntries((this.#db.prepare('SELECT key, value FROM tags WHERE run_id = ? ORDER BY key').all(runId) as { key: string; value: string }[]).map((t) => [t.key, t.value]));
    // The value of each key written last. Not the highest step: the final evaluation logs val.* at
    // step 0 after the per-epoch val.* of steps 1…N, and it is the run's result.
    const latest = this.#db
      .prepare(
        `SELECT key, value FROM metrics m WHERE run_id = ? AND rowid = (
           SELECT MAX(rowid) FROM metrics WHERE run_id = m.run_id AND key = m.key)
         ORDER BY key`,
      )
      .all(runId) as { key: string; value: number }[];
    const artifacts = this.#db.prepare('SELECT path, size, sha256 FROM artifacts WHERE run_id = ? ORDER BY path').all(runId) as Artifact[];
    return { ...run, params, tags, latestMetrics: Object.fromEntries(latest.map((m) => [m.key, m.value])), artifacts };
  }

  /**
   * The full id of the run `idOrPrefix` names: the id itself, or the one run whose id starts with
   * it (as git takes a short commit hash). None or several are TRACKING_NOT_FOUND / TRACKING_INVALID.
   */
  async resolveRunId(idOrPrefix: string): Promise<string> {
    if (this.#db.prepare('SELECT 1 FROM runs WHERE id = ?').get(idOrPrefix)) return idOrPrefix;
    // Ids are lowercase hex: anything else cannot be a prefix (and keeps LIKE's wildcards out).
    const matches = /^[0-9a-f]+$/.test(idOrPrefix)
      ? (this.#db.prepare("SELECT id FROM runs WHERE id LIKE ? || '%' ORDER BY start_time DESC LIMIT 6").all(idOrPrefix) as { id: string }[]).map((r) => r.id)
      : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id or id prefix "${idOrPrefix}" in ${this.root}`);
    throw new TrackingError('TRACKING_INVALID', `the id prefix "${idOrPrefix}" matches several runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more characters`);
  }

  /**
   * Deletes a run: its rows in one transaction, then its artifact folder and the bundle folder
   * training wrote for it (`<root>/bundles/<runId>`) unless a registered version still uses it.
   */
  async deleteRun(runId: string, options: DeleteRunOptions = {}): Promise<void> {
    const { versions } = deleteRunRows(this.#db, runId, options);
    // Files go after the commit: a crash between leaves stray files, never rows without their files.
    removeRunFiles(this.root, runId, versions);
  }

  /** Sets a run's name (shown by `cvf runs list`). */
  async renameRun(runId: string, name: string | null): Promise<Run> {
    this.#runRow(runId);
    this.#db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, runId);
    return toRun(this.#runRow(runId));
  }

  async listRuns(filter: RunFilter = {}): Promise<Run[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment !== undefined) (where.push('e.name = ?'), args.push(filter.experiment));
    if (filter.status !== undefined) (where.push('r.status = ?'), args.push(filter.status));
    if (filter.parentRunId !== undefined) (where.push('r.parent_run_id = ?'), args.push(filter.parentRunId));
    const sql = `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.start_time DESC, r.rowid DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, filter.limit ?? -1) as RunRow[]).map(toRun);
  }

  /** listRuns with each run's tags and latest metrics, read in two queries for all of them. */
  async listRunOverviews(filter: RunFilter = {}): Promise<RunOverview[]> {
    return attachOverviews(this.#db, await this.listRuns(filter));
  }

  async getMetricHistory(runId: string, key?: string): Promise<MetricPoint[]> {
    this.#runRow(runId);
    const sql = `SELECT key, value, step, time FROM metrics WHERE run_id = ? ${key === undefined ? '' : 'AND key = ?'} ORDER BY key, step, rowid`;
    return this.#db.prepare(sql).all(...(key === undefined ? [runId] : [runId, key])) as MetricPoint[];
  }

  async registerVersion(name: string, version: { runId?: string; bundle: string; metrics: Readonly<Record<string, unknown>>; configHash?: string; gitSha?: string; bundleDigest?: string }): Promise<ModelVersion> {
    assertName('model', name);
    const number = this.#db.transaction(() => {
      if (version.runId) this.#runRow(version.runId);
      this.#db.prepare('INSERT INTO models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, Date.now());
      const { next } = this.#db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE name = ?').get(name) as { next: number };
      this.#db
        .prepare('INSERT INTO model_versions (name, version, run_id, bundle, metrics, config_hash, git_sha, bundle_digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(name, next, version.runId ?? null, version.bundle, JSON.stringify(version.metrics), version.configHash ?? null, version.gitSha ?? null, version.bundleDigest ?? null, Date.now());
      return next;
    }).immediate();
    return this.getVersion(name, number);
  }

  /** The names of every registered model, sorted. */
  async listModelNames(): Promise<string[]> {
    return this.#modelNames();
  }

  async listVersions(name?: string): Promise<ModelVersion[]> {
    const sql = `SELECT ${VERSION_COLUMNS} FROM model_versions v ${name === undefined ? '' : 'WHERE v.name = ?'} ORDER BY v.created_at DESC, v.rowid DESC`;
    return (this.#db.prepare(sql).all(...(name === undefined ? [] : [name])) as VersionRow[]).map(toVersion);
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const row = this.#db.prepare(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.name = ? AND v.version = ?`).get(name, version) as VersionRow | undefined;
    if (!row) throw this.#versionNotFound(name, version);
    return toVersion(row);
  }

  async getByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const row = this.#db.prepare('SELECT version FROM aliases WHERE name = ? AND alias = ?').get(name, alias) as { version: number } | undefined;
    return row ? this.getVersion(name, row.version) : null;
  }

  async setAlias(name: string, version: number, alias: string): Promise<ModelVersion> {
    assertAlias(alias);
    this.#db.transaction(() => {
      if (!this.#db.prepare('SELECT 1 FROM model_versions WHERE name = ? AND version = ?').get(name, version)) throw this.#versionNotFound(name, version);
      const previous = this.#db.prepare('SELECT version FROM aliases WHERE name = ? AND alias = ?').get(name, alias) as { version: number } | undefined;
      this.#db.prepare('INSERT INTO aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version').run(name, alias, version);
      this.#db
        .prepare('INSERT INTO alias_history (name, alias, version, previous_version, changed_at) VALUES (?, ?, ?, ?, ?)')
        .run(name, alias, version, previous?.version ?? null, Date.now());
    }).immediate();
    return this.getVersion(name, version);
  }

  async aliasHistory(name: string, alias?: string): Promise<AliasChange[]> {
    const sql = `SELECT name, alias, version, previous_version AS previousVersion, changed_at AS changedAt FROM alias_history
      WHERE name = ? ${alias === undefined ? '' : 'AND alias = ?'} ORDER BY id DESC`;
    return this.#db.prepare(sql).all(...(alias === undefined ? [name] : [name, alias])) as AliasChange[];
  }

  async recordMonitorEvent(event: NewMonitorEvent): Promise<MonitorEvent> {
    return insertMonitorEvent(this.#db, event);
  }

  async listMonitorEvents(filter?: MonitorEventFilter): Promise<MonitorEvent[]> {
    return selectMonitorEvents(this.#db, filter);
  }

  async setMonitorEventOutcome(id: number, outcome: Readonly<Record<string, unknown>>): Promise<MonitorEvent> {
    return updateMonitorEventOutcome(this.#db, id, outcome);
  }

  async recordFeedback(labels: readonly FeedbackLabel[]): Promise<{ stored: number; replaced: number }> {
    return upsertFeedback(this.#db, labels);
  }

  async recentFeedback(model: string, limit: number, version?: string): Promise<FeedbackLabel[]> {
    return selectRecentFeedback(this.#db, model, limit, version);
  }

  #modelNames(): string[] {
    return (this.#db.prepare('SELECT name FROM models ORDER BY name').all() as { name: string }[]).map((m) => m.name);
  }

  #experiment(name: string): Experiment {
    assertName('experiment', name);
    this.#db.prepare('INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, Date.now());
    return this.#db.prepare('SELECT id, name, created_at AS createdAt FROM experiments WHERE name = ?').get(name) as Experiment;
  }

  #runRow(runId: string): RunRow {
    const row = this.#db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`).get(runId) as RunRow | undefined;
    if (!row) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id "${runId}" in ${this.root}`);
    return row;
  }

  /** Metrics and params belong to the run while it runs; an ended run is a record, not a draft. */
  #runningRow(runId: string): RunRow {
    const row = this.#runRow(runId);
    if (row.status !== 'running') throw new TrackingError('TRACKING_CONFLICT', `run ${runId} already ended (${row.status}); it takes no more params or metrics`);
    return row;
  }

  #versionNotFound(name: string, version: number): TrackingError {
    const versions = (this.#db.prepare('SELECT version FROM model_versions WHERE name = ? ORDER BY version').all(name) as { version: number }[]).map((v) => v.version);
    return versions.length ? new TrackingError('TRACKING_NOT_FOUND', `model "${name}" has no version ${version}; versions: ${versions.join(', ')}`) : this.#modelNotFound(name);
  }

  /** "no model named …", with the models there are, for every lookup of an unknown model. */
  async modelNotFound(name: string): Promise<TrackingError> {
    return this.#modelNotFound(name);
  }

  #modelNotFound(name: string): TrackingError {
    const names = this.#modelNames();
    return new TrackingError('TRACKING_NOT_FOUND', `no model named "${name}" in ${this.root}; ${names.length ? `models: ${names.join(', ')}` : 'no model is registered there yet'}`);
  }
}
