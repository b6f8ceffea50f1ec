import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TrackingError } from '../../../errors.js';
import type { FeedbackLabel } from '../../../monitor/feedback/feedback-label.js';
import type { MonitorEvent, MonitorEventFilter, NewMonitorEvent } from '../../../monitor/triggers/monitor-event.js';
import type { StartRunOptions } from '../../../tracking/tracker.js';
import type { AliasChange, Artifact, Experiment, MetricPoint, ModelVersion, Run, RunDetails, RunStatus } from '../../../tracking/types.js';
import { assertAlias, assertArtifactPath, assertMetrics, assertName } from '../../../tracking/validate.js';
import type { DeleteRunOptions } from '../delete-run.js';
import type { RunOverview } from '../run-overviews.js';
import { artifactFilePath, removeRunFiles, writeArtifactFile } from '../run-files.js';
import type { RunFilter, TrackingStore } from '../tracking-store.js';
import { toRun, toVersion, type RunRow, type VersionRow } from '../store-rows.js';
import { deleteRunRows } from './delete-run.js';
import { parsePostgresLocation } from './location.js';
import { insertMonitorEvent, selectMonitorEvents, selectRecentFeedback, updateMonitorEventOutcome, upsertFeedback } from './monitor-rows.js';
import { markOrphanedRunsFailed } from './orphaned-runs.js';
import { attachOverviews } from './run-overviews.js';
import { migrate } from './schema.js';
import { inTransaction } from './transaction.js';

type Queryable = pg.Pool | pg.PoolClient;

const RUN_COLUMNS = `r.id, e.name AS experiment, r.name, r.status, r.start_time, r.end_time, r.config_hash, r.git_sha, r.parent_run_id, r.failure_reason`;
const VERSION_COLUMNS = `v.name, v.version, v.run_id, v.bundle, v.metrics, v.config_hash, v.git_sha, v.bundle_digest, v.created_at,
  (SELECT string_agg(a.alias, ',') FROM aliases a WHERE a.name = v.name AND a.version = v.version) AS aliases`;

/** BIGINT (times in ms, serial ids) as numbers: every value the store keeps is far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/**
 * The tracking store on PostgreSQL, for several machines writing at once (workers, the studio,
 * edge runtimes): the same interface and behaviour as the SQLite store, one transaction per write,
 * version numbers that stay distinct under concurrent registrations (the model's row is locked
 * while its next number is taken). Run files stay in a folder (`root`, see parsePostgresLocation).
 */
export class PostgresTrackingStore implements TrackingStore {
  readonly root: string;
  readonly location: string;
  readonly #pool: pg.Pool;

  private constructor(root: string, location: string, pool: pg.Pool) {
    this.root = root;
    this.location = location;
    this.#pool = pool;
  }

  /** Connects, brings the schema up to date and marks this host's orphaned runs failed. */
  static async open(url: string, { cwd }: { cwd?: string } = {}): Promise<PostgresTrackingStore> {
    const location = parsePostgresLocation(url, cwd);
    const pool = new pg.Pool({ connectionString: location.connectionString, types, max: 8 });
    // An idle client that loses its server (a restart) must not crash the process.
    pool.on('error', () => undefined);
    try {
      mkdirSync(join(location.root, 'artifacts'), { recursive: true });
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      await markOrphanedRunsFailed(pool);
    } catch (cause) {
      await pool.end().catch(() => undefined);
      throw new TrackingError('TRACKING_STORE_FAILED', `cannot open the tracking store at ${location.display}: ${(cause as Error).message}`, { cause });
    }
    return new PostgresTrackingStore(location.root, location.display, pool);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async getOrCreateExperiment(name: string): Promise<Experiment> {
    return this.#experiment(this.#pool, name);
  }

  async listExperiments(): Promise<Experiment[]> {
    return (await this.#pool.query<Experiment>('SELECT id, name, created_at AS "createdAt" FROM experiments ORDER BY id')).rows;
  }

  async startRun(options: StartRunOptions): Promise<Run> {
    const id = randomUUID().replaceAll('-', '');
    await inTransaction(this.#pool, async (client) => {
      const experiment = await this.#experiment(client, options.experiment);
      if (options.parentRunId) await this.#runRow(client, options.parentRunId);
      await client.query(
        `INSERT INTO runs (id, experiment_id, name, status, start_time, config_hash, git_sha, parent_run_id, pid, host)
         VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8, $9)`,
        [id, experiment.id, options.name ?? null, Date.now(), options.configHash ?? null, options.gitSha ?? null, options.parentRunId ?? null, process.pid, hostname()],
      );
    });
    return toRun(await this.#runRow(this.#pool, id));
  }

  async logParams(runId: string, params: Readonly<Record<string, unknown>>): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await this.#runningRow(client, runId);
      for (const [key, value] of Object.entries(params)) {
        await client.query('INSERT INTO params (run_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value', [runId, key, JSON.stringify(value ?? null)]);
      }
    });
  }

  async logMetrics(runId: string, metrics: Readonly<Record<string, number>>, step: number): Promise<void> {
    assertMetrics(metrics, step);
    const keys = Object.keys(metrics);
    if (keys.length === 0) {
      await this.#runningRow(this.#pool, runId, '');
      return;
    }
    // One statement, so one round trip and atomic by itself: the step's metrics go in together, in
    // their order, only while the run is running (its row share-locked against an endRun meanwhile).
    const { rowCount } = await this.#pool.query(
      `WITH run AS (SELECT id FROM runs WHERE id = $1 AND status = 'running' FOR SHARE)
       INSERT INTO metrics (run_id, key, value, step, time)
       SELECT run.id, m.key, m.value, $2, $3 FROM run, unnest($4::text[], $5::float8[]) WITH ORDINALITY AS m(key, value, n) ORDER BY m.n`,
      [runId, step, Date.now(), keys, keys.map((k) => metrics[k])],
    );
    // Nothing written: say why (no such run, or it ended).
    if (rowCount === 0) await this.#runningRow(this.#pool, runId, '');
  }

  async setTags(runId: string, tags: Readonly<Record<string, string>>): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await this.#runRow(client, runId, 'FOR SHARE');
      for (const [key, value] of Object.entries(tags)) {
        await client.query('INSERT INTO tags (run_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value', [runId, key, String(value)]);
      }
    });
  }

  async logArtifact(runId: string, path: string, bytes: Uint8Array): Promise<Artifact> {
    assertArtifactPath(path);
    await this.#runRow(this.#pool, runId);
    const artifact = writeArtifactFile(this.root, runId, path, bytes);
    await this.#pool.query(
      'INSERT INTO artifacts (run_id, path, size, sha256) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256',
      [runId, artifact.path, artifact.size, artifact.sha256],
    );
    return artifact;
  }

  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    assertArtifactPath(path);
    await this.#runRow(this.#pool, runId);
    if ((await this.#pool.query('SELECT 1 FROM artifacts WHERE run_id = $1 AND path = $2', [runId, path])).rowCount === 0) {
      throw new TrackingError('TRACKING_NOT_FOUND', `run ${runId} has no artifact "${path}"`);
    }
    return readFileSync(this.artifactPath(runId, path));
  }

  artifactPath(runId: string, path: string): string {
    return artifactFilePath(this.root, runId, path);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>, failureReason?: string): Promise<Run> {
    if (!['finished', 'failed', 'killed'].includes(status)) throw new TrackingError('TRACKING_INVALID', `a run ends as finished, failed or killed, not "${status}"`);
    await inTransaction(this.#pool, async (client) => {
      await this.#runningRow(client, runId, 'FOR UPDATE');
      await client.query('UPDATE runs SET status = $1, end_time = $2, failure_reason = $3 WHERE id = $4', [status, Date.now(), failureReason ?? null, runId]);
    });
    return toRun(await this.#runRow(this.#pool, runId));
  }

  async getRun(runId: string): Promise<RunDetails> {
    const run = toRun(await this.#runRow(this.#pool, runId));
    const params = (await this.#pool.query<{ key: string; value: string }>('SELECT key, value FROM params WHERE run_id = $1 ORDER BY key', [runId])).rows;
    const tags = (await this.#pool.query<{ key: string; value: string }>('SELECT key, value FROM tags WHERE run_id = $1 ORDER BY key', [runId])).rows;
    // The value of each key written last, not the one of the highest step (see the SQLite store).
    const latest = (await this.#pool.query<{ key: string; value: number }>('SELECT DISTINCT ON (key) key, value FROM metrics WHERE run_id = $1 ORDER BY key, id DESC', [runId])).rows;
    const artifacts = (await this.#pool.query<Artifact>('SELECT path, size, sha256 FROM artifacts WHERE run_id = $1 ORDER BY path', [runId])).rows;
    return {
      ...run,
      params: Object.fromEntries(params.map((p) => [p.key, JSON.parse(p.value)])),
      tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      latestMetrics: Object.fromEntries(latest.map((m) => [m.key, m.value])),
      artifacts,
    };
  }

  async resolveRunId(idOrPrefix: string): Promise<string> {
    if ((await this.#pool.query('SELECT 1 FROM runs WHERE id = $1', [idOrPrefix])).rowCount) return idOrPrefix;
    // Ids are lowercase hex: anything else cannot be a prefix (and keeps LIKE's wildcards out).
    const matches = /^[0-9a-f]+$/.test(idOrPrefix)
      ? (await this.#pool.query<{ id: string }>("SELECT id FROM runs WHERE id LIKE $1 || '%' ORDER BY start_time DESC LIMIT 6", [idOrPrefix])).rows.map((r) => r.id)
      : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id or id prefix "${idOrPrefix}" in ${this.location}`);
    throw new TrackingError('TRACKING_INVALID', `the id prefix "${idOrPrefix}" matches several runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more characters`);
  }

  async deleteRun(runId: string, options: DeleteRunOptions = {}): Promise<void> {
    const { versions } = await deleteRunRows(this.#pool, runId, options);
    // Files go after the commit: a crash between leaves stray files, never rows without their files.
    removeRunFiles(this.root, runId, versions);
  }

  async renameRun(runId: string, name: string | null): Promise<Run> {
    await this.#runRow(this.#pool, runId);
    await this.#pool.query('UPDATE runs SET name = $1 WHERE id = $2', [name, runId]);
    return toRun(await this.#runRow(this.#pool, runId));
  }

  async listRuns(filter: RunFilter = {}): Promise<Run[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (value: unknown) => `$${args.push(value)}`;
    if (filter.experiment !== undefined) where.push(`e.name = ${arg(filter.experiment)}`);
    if (filter.status !== undefined) where.push(`r.status = ${arg(filter.status)}`);
    if (filter.parentRunId !== undefined) where.push(`r.parent_run_id = ${arg(filter.parentRunId)}`);
    const sql = `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.start_time DESC, r.seq DESC LIMIT ${arg(filter.limit ?? null)}`;
    return (await this.#pool.query<RunRow>(sql, args)).rows.map(toRun);
  }

  async listRunOverviews(filter: RunFilter = {}): Promise<RunOverview[]> {
    return attachOverviews(this.#pool, await this.listRuns(filter));
  }

  async getMetricHistory(runId: string, key?: string): Promise<MetricPoint[]> {
    await this.#runRow(this.#pool, runId);
    const sql = `SELECT key, value, step, time FROM metrics WHERE run_id = $1 ${key === undefined ? '' : 'AND key = $2'} ORDER BY key, step, id`;
    return (await this.#pool.query<MetricPoint>(sql, key === undefined ? [runId] : [runId, key])).rows;
  }

  async registerVersion(
    name: string,
    version: { runId?: string; bundle: string; metrics: Readonly<Record<string, unknown>>; configHash?: string; gitSha?: string; bundleDigest?: string },
  ): Promise<ModelVersion> {
    assertName('model', name);
    const number = await inTransaction(this.#pool, async (client) => {
      if (version.runId) await this.#runRow(client, version.runId);
      await client.query('INSERT INTO models (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, Date.now()]);
      // The model's row locked: concurrent registrations of one model take their numbers in turn.
      await client.query('SELECT name FROM models WHERE name = $1 FOR UPDATE', [name]);
      const { rows } = await client.query<{ next: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE name = $1', [name]);
      const next = rows[0]!.next;
      await client.query(
        'INSERT INTO model_versions (name, version, run_id, bundle, metrics, config_hash, git_sha, bundle_digest, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [name, next, version.runId ?? null, version.bundle, JSON.stringify(version.metrics), version.configHash ?? null, version.gitSha ?? null, version.bundleDigest ?? null, Date.now()],
      );
      return next;
    });
    return this.getVersion(name, number);
  }

  async listModelNames(): Promise<string[]> {
    return (await this.#pool.query<{ name: string }>('SELECT name FROM models ORDER BY name')).rows.map((m) => m.name);
  }

  async listVersions(name?: string): Promise<ModelVersion[]> {
    const sql = `SELECT ${VERSION_COLUMNS} FROM model_versions v ${name === undefined ? '' : 'WHERE v.name = $1'} ORDER BY v.created_at DESC, v.seq DESC`;
    return (await this.#pool.query<VersionRow>(sql, name === undefined ? [] : [name])).rows.map(toVersion);
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const row = (await this.#pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.name = $1 AND v.version = $2`, [name, version])).rows[0];
    if (!row) throw await this.#versionNotFound(this.#pool, name, version);
    return toVersion(row);
  }

  async getByAlias(name: string, alias: string): Promise<ModelVersion | null> {
    const row = (await this.#pool.query<{ version: number }>('SELECT version FROM aliases WHERE name = $1 AND alias = $2', [name, alias])).rows[0];
    return row ? this.getVersion(name, row.version) : null;
  }

  async setAlias(name: string, version: number, alias: string): Promise<ModelVersion> {
    assertAlias(alias);
    await inTransaction(this.#pool, async (client) => {
      if (!(await client.query('SELECT 1 FROM model_versions WHERE name = $1 AND version = $2', [name, version])).rowCount) throw await this.#versionNotFound(client, name, version);
      // The model's row locked: two moves of one alias at once each record the other's version as the previous one.
      await client.query('SELECT name FROM models WHERE name = $1 FOR UPDATE', [name]);
      const previous = (await client.query<{ version: number }>('SELECT version FROM aliases WHERE name = $1 AND alias = $2', [name, alias])).rows[0];
      await client.query('INSERT INTO aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version', [name, alias, version]);
      await client.query('INSERT INTO alias_history (name, alias, version, previous_version, changed_at) VALUES ($1, $2, $3, $4, $5)', [
        name,
        alias,
        version,
        previous?.version ?? null,
        Date.now(),
      ]);
    });
    return this.getVersion(name, version);
  }

  async aliasHistory(name: string, alias?: string): Promise<AliasChange[]> {
    const sql = `SELECT name, alias, version, previous_version AS "previousVersion", changed_at AS "changedAt" FROM alias_history
      WHERE name = $1 ${alias === undefined ? '' : 'AND alias = $2'} ORDER BY id DESC`;
    return (await this.#pool.query<AliasChange>(sql, alias === undefined ? [name] : [name, alias])).rows;
  }

  async recordMonitorEvent(event: NewMonitorEvent): Promise<MonitorEvent> {
    return insertMonitorEvent(this.#pool, event);
  }

  async listMonitorEvents(filter?: MonitorEventFilter): Promise<MonitorEvent[]> {
    return selectMonitorEvents(this.#pool, filter);
  }

  async setMonitorEventOutcome(id: number, outcome: Readonly<Record<string, unknown>>): Promise<MonitorEvent> {
    return updateMonitorEventOutcome(this.#pool, id, outcome);
  }

  async recordFeedback(labels: readonly FeedbackLabel[]): Promise<{ stored: number; replaced: number }> {
    return upsertFeedback(this.#pool, labels);
  }

  async recentFeedback(model: string, limit: number, version?: string): Promise<FeedbackLabel[]> {
    return selectRecentFeedback(this.#pool, model, limit, version);
  }

  async modelNotFound(name: string): Promise<TrackingError> {
    const names = await this.listModelNames();
    return new TrackingError('TRACKING_NOT_FOUND', `no model named "${name}" in ${this.location}; ${names.length ? `models: ${names.join(', ')}` : 'no model is registered there yet'}`);
  }

  async #experiment(db: Queryable, name: string): Promise<Experiment> {
    assertName('experiment', name);
    await db.query('INSERT INTO experiments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, Date.now()]);
    return (await db.query<Experiment>('SELECT id, name, created_at AS "createdAt" FROM experiments WHERE name = $1', [name])).rows[0]!;
  }

  /** A run's row; `lock` keeps it as read until the transaction ends (writes to it wait for an end of the run). */
  async #runRow(db: Queryable, runId: string, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<RunRow> {
    const row = (await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = $1 ${lock ? `${lock} OF r` : ''}`, [runId])).rows[0];
    if (!row) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id "${runId}" in ${this.location}`);
    return row;
  }

  /** Metrics and params belong to the run while it runs; an ended run is a record, not a draft. */
  async #runningRow(db: Queryable, runId: string, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = 'FOR SHARE'): Promise<RunRow> {
    const row = await this.#runRow(db, runId, lock);
    if (row.status !== 'running') throw new TrackingError('TRACKING_CONFLICT', `run ${runId} already ended (${row.status}); it takes no more params or metrics`);
    return row;
  }

  async #versionNotFound(db: Queryable, name: string, version: number): Promise<TrackingError> {
    const versions = (await db.query<{ version: number }>('SELECT version FROM model_versions WHERE name = $1 ORDER BY version', [name])).rows.map((v) => v.version);
    return versions.length ? new TrackingError('TRACKING_NOT_FOUND', `model "${name}" has no version ${version}; versions: ${versions.join(', ')}`) : this.modelNotFound(name);
  }
}
