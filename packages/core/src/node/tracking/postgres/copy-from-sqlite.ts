import Sqlite from 'better-sqlite3';
import { cpSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import pg from 'pg';
import { TrackingError } from '../../../errors.js';
import { SqliteTrackingStore } from '../sqlite-store.js';
import type { RunRow as StoreRunRow, VersionRow as StoreVersionRow } from '../store-rows.js';
import { parsePostgresLocation } from './location.js';
import { PostgresTrackingStore } from './postgres-store.js';
import { inTransaction } from './transaction.js';

/** A run's row as SQLite holds it, with the writer's process (copied, so orphaned runs are still found). */
type RunRow = StoreRunRow & { pid: number | null; host: string | null };
/** A version's row as SQLite's `model_versions` holds it (its aliases are in their own table). */
type VersionRow = Omit<StoreVersionRow, 'aliases'>;

/** How many rows of each kind one copy added to the PostgreSQL store (what was there already is not counted). */
export interface StoreCopyReport {
  experiments: number;
  runs: number;
  params: number;
  metrics: number;
  tags: number;
  artifacts: number;
  models: number;
  versions: number;
  aliases: number;
  aliasChanges: number;
  monitorEvents: number;
  feedback: number;
}

const METRIC_CHUNK = 5000;

/**
 * Copies a SQLite store (folder `from`) into a PostgreSQL store (URL `to`): experiments, runs with
 * their params, metrics (in the order written, so "the value written last" stays the same), tags
 * and artifacts, models, versions, aliases and their history, monitor events and fed-back labels;
 * the files of runs (artifacts/<run>, bundles/<run>) and registered bundles inside `from` go to
 * the PostgreSQL store's file folder, and versions then name the copied bundle. Idempotent: a run,
 * version, alias, alias change, event or label already in the target is left as it is, so a second
 * copy adds nothing. Each run is one transaction (files first: a crash leaves stray files, never
 * rows without their files). A version number the target already uses for another bundle is refused.
 */
export async function copySqliteStoreToPostgres(from: string, to: string, options: { cwd?: string; onRun?: (done: number, total: number) => void } = {}): Promise<StoreCopyReport> {
  const sourceRoot = resolve(options.cwd ?? process.cwd(), from);
  if (!existsSync(join(sourceRoot, 'tracking.db'))) throw new TrackingError('TRACKING_STORE_NOT_FOUND', `no SQLite tracking store at ${sourceRoot}: it holds no tracking.db`);
  // Opening brings an older source schema up to date and marks its orphaned runs failed.
  SqliteTrackingStore.open(sourceRoot).close();
  await (await PostgresTrackingStore.open(to, options)).close();
  const target = parsePostgresLocation(to, options.cwd);
  const source = new Sqlite(join(sourceRoot, 'tracking.db'), { readonly: true });
  const pool = new pg.Pool({ connectionString: target.connectionString, max: 2 });
  pool.on('error', () => undefined);
  const report: StoreCopyReport = { experiments: 0, runs: 0, params: 0, metrics: 0, tags: 0, artifacts: 0, models: 0, versions: 0, aliases: 0, aliasChanges: 0, monitorEvents: 0, feedback: 0 };
  const files = new FileCopier(sourceRoot, target.root);
  try {
    const experimentIds = await copyExperiments(source, pool, report);
    const runs = parentsFirst(source.prepare(`SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.start_time, r.rowid`).all() as RunRow[]);
    for (const [k, run] of runs.entries()) {
      await copyRun(source, pool, run, experimentIds.get(run.experiment)!, files, report);
      options.onRun?.(k + 1, runs.length);
    }
    await copyRegistry(source, pool, files, report);
    await copyMonitorRows(source, pool, report);
  } finally {
    source.close();
    await pool.end();
  }
  return report;
}

/** Copies files from the source store's folder to the target's, and rewrites paths inside the source folder. */
class FileCopier {
  constructor(
    readonly source: string,
    readonly target: string,
  ) {}

  /** `path` moved into the target folder when it lies inside the source folder; otherwise as it is. */
  rebase(path: string): string {
    const absolute = resolve(this.source, path);
    if (this.source === this.target || !(absolute === this.source || absolute.startsWith(this.source + sep))) return path;
    return join(this.target, relative(this.source, absolute));
  }

  /** Copies `<source>/<relativePath>` (file or folder) unless it is missing or already at the target. */
  copy(relativePath: string): void {
    const from = join(this.source, relativePath);
    const to = join(this.target, relativePath);
    if (this.source !== this.target && existsSync(from) && !existsSync(to)) cpSync(from, to, { recursive: true });
  }
}

async function copyExperiments(source: Sqlite.Database, pool: pg.Pool, report: StoreCopyReport): Promise<Map<string, number>> {
  const experiments = source.prepare('SELECT name, created_at FROM experiments ORDER BY id').all() as { name: string; created_at: number }[];
  return inTransaction(pool, async (client) => {
    for (const e of experiments) {
      report.experiments += (await client.query('INSERT INTO experiments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [e.name, e.created_at])).rowCount ?? 0;
    }
    const rows = (await client.query<{ id: string; name: string }>('SELECT id, name FROM experiments')).rows;
    return new Map(rows.map((r) => [r.name, Number(r.id)]));
  });
}

/** Runs ordered so that a parent run comes before its children (the foreign key needs it). */
function parentsFirst(runs: readonly RunRow[]): RunRow[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const placed = new Set<string>();
  const ordered: RunRow[] = [];
  const place = (run: RunRow) => {
    if (placed.has(run.id)) return;
    placed.add(run.id);
    const parent = run.parent_run_id === null ? undefined : byId.get(run.parent_run_id);
    if (parent) place(parent);
    ordered.push(run);
  };
  runs.forEach(place);
  return ordered;
}

async function copyRun(source: Sqlite.Database, pool: pg.Pool, run: RunRow, experimentId: number, files: FileCopier, report: StoreCopyReport): Promise<void> {
  const params = source.prepare('SELECT key, value FROM params WHERE run_id = ?').all(run.id) as { key: string; value: string }[];
  const tags = source.prepare('SELECT key, value FROM tags WHERE run_id = ?').all(run.id) as { key: string; value: string }[];
  const artifacts = source.prepare('SELECT path, size, sha256 FROM artifacts WHERE run_id = ?').all(run.id) as { path: string; size: number; sha256: string }[];
  const metrics = source.prepare('SELECT key, value, step, time FROM metrics WHERE run_id = ? ORDER BY rowid').all(run.id) as { key: string; value: number; step: number; time: number }[];
  files.copy(join('artifacts', run.id));
  files.copy(join('bundles', run.id));
  await inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO runs (id, experiment_id, name, status, start_time, end_time, config_hash, git_sha, parent_run_id, failure_reason, pid, host)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
      [run.id, experimentId, run.name, run.status, run.start_time, run.end_time, run.config_hash, run.git_sha, run.parent_run_id, run.failure_reason, run.pid, run.host],
    );
    // A run already in the target was copied whole before: its rows are not added twice.
    if (inserted.rowCount === 0) return;
    report.runs++;
    for (const p of params) await client.query('INSERT INTO params (run_id, key, value) VALUES ($1, $2, $3)', [run.id, p.key, p.value]);
    for (const t of tags) await client.query('INSERT INTO tags (run_id, key, value) VALUES ($1, $2, $3)', [run.id, t.key, t.value]);
    for (const a of artifacts) await client.query('INSERT INTO artifacts (run_id, path, size, sha256) VALUES ($1, $2, $3, $4)', [run.id, a.path, a.size, a.sha256]);
    for (let start = 0; start < metrics.length; start += METRIC_CHUNK) {
      const chunk = metrics.slice(start, start + METRIC_CHUNK);
      await client.query(
        `INSERT INTO metrics (run_id, key, value, step, time)
         SELECT $1, m.key, m.value, m.step, m.time FROM unnest($2::text[], $3::float8[], $4::int[], $5::bigint[]) WITH ORDINALITY AS m(key, value, step, time, n) ORDER BY m.n`,
        [run.id, chunk.map((m) => m.key), chunk.map((m) => m.value), chunk.map((m) => m.step), chunk.map((m) => m.time)],
      );
    }
    report.params += params.length;
    report.tags += tags.length;
    report.artifacts += artifacts.length;
    report.metrics += metrics.length;
  });
}

async function copyRegistry(source: Sqlite.Database, pool: pg.Pool, files: FileCopier, report: StoreCopyReport): Promise<void> {
  const models = source.prepare('SELECT name, created_at FROM models ORDER BY name').all() as { name: string; created_at: number }[];
  const versions = source.prepare('SELECT * FROM model_versions ORDER BY created_at, rowid').all() as VersionRow[];
  const aliases = source.prepare('SELECT name, alias, version FROM aliases').all() as { name: string; alias: string; version: number }[];
  const history = source.prepare('SELECT name, alias, version, previous_version, changed_at FROM alias_history ORDER BY id').all() as {
    name: string;
    alias: string;
    version: number;
    previous_version: number | null;
    changed_at: number;
  }[];
  for (const v of versions) {
    const bundle = files.rebase(v.bundle);
    if (bundle !== v.bundle) files.copy(relative(files.source, resolve(files.source, v.bundle)));
  }
  await inTransaction(pool, async (client) => {
    for (const m of models) report.models += (await client.query('INSERT INTO models (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [m.name, m.created_at])).rowCount ?? 0;
    for (const v of versions) {
      const bundle = files.rebase(v.bundle);
      const there = (await client.query<{ bundle: string; created_at: string }>('SELECT bundle, created_at FROM model_versions WHERE name = $1 AND version = $2', [v.name, v.version])).rows[0];
      if (there) {
        if (there.bundle !== bundle || Number(there.created_at) !== v.created_at) {
          throw new TrackingError('TRACKING_CONFLICT', `${v.name}@${v.version} is already in the target store for another bundle (${there.bundle}, not ${bundle}); the stores' registries diverged, nothing of the registry was copied`);
        }
        continue;
      }
      await client.query(
        'INSERT INTO model_versions (name, version, run_id, bundle, metrics, config_hash, git_sha, bundle_digest, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [v.name, v.version, v.run_id, bundle, v.metrics, v.config_hash, v.git_sha, v.bundle_digest, v.created_at],
      );
      report.versions++;
    }
    // An alias the target has already stays where it points there (it may have moved since).
    for (const a of aliases) {
      report.aliases += (await client.query('INSERT INTO aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO NOTHING', [a.name, a.alias, a.version])).rowCount ?? 0;
    }
    for (const h of history) {
      report.aliasChanges +=
        (
          await client.query(
            `INSERT INTO alias_history (name, alias, version, previous_version, changed_at) SELECT $1, $2, $3, $4::integer, $5
             WHERE NOT EXISTS (SELECT 1 FROM alias_history WHERE name = $1 AND alias = $2 AND version = $3 AND previous_version IS NOT DISTINCT FROM $4::integer AND changed_at = $5)`,
            [h.name, h.alias, h.version, h.previous_version, h.changed_at],
          )
        ).rowCount ?? 0;
    }
  });
}

async function copyMonitorRows(source: Sqlite.Database, pool: pg.Pool, report: StoreCopyReport): Promise<void> {
  const events = source.prepare('SELECT time, kind, trigger_name, model, version, action, figures, outcome FROM monitor_events ORDER BY id').all() as {
    time: number;
    kind: string;
    trigger_name: string;
    model: string | null;
    version: string | null;
    action: string;
    figures: string;
    outcome: string | null;
  }[];
  const feedback = source.prepare('SELECT prediction_id, model, version, predicted, label, time FROM feedback ORDER BY rowid').all() as {
    prediction_id: string;
    model: string;
    version: string;
    predicted: string;
    label: string;
    time: number;
  }[];
  await inTransaction(pool, async (client) => {
    // An event is the same event when everything but its outcome (which may have come since) matches.
    for (const e of events) {
      report.monitorEvents +=
        (
          await client.query(
            `INSERT INTO monitor_events (time, kind, trigger_name, model, version, action, figures, outcome) SELECT $1, $2, $3, $4::text, $5::text, $6, $7, $8
             WHERE NOT EXISTS (SELECT 1 FROM monitor_events WHERE time = $1 AND kind = $2 AND trigger_name = $3 AND model IS NOT DISTINCT FROM $4::text
               AND version IS NOT DISTINCT FROM $5::text AND action = $6 AND figures = $7)`,
            [e.time, e.kind, e.trigger_name, e.model, e.version, e.action, e.figures, e.outcome],
          )
        ).rowCount ?? 0;
    }
    for (const f of feedback) {
      report.feedback +=
        (
          await client.query('INSERT INTO feedback (prediction_id, model, version, predicted, label, time) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (prediction_id) DO NOTHING', [
            f.prediction_id,
            f.model,
            f.version,
            f.predicted,
            f.label,
            f.time,
          ])
        ).rowCount ?? 0;
    }
  });
}
