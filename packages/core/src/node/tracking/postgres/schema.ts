import type pg from 'pg';

/**
 * Schema migrations of the PostgreSQL tracking store, applied in order, each recorded in
 * `cvf_schema_migrations`; a new migration is appended, never edited. Migration 1 is the whole
 * schema of the SQLite store's migrations 1–3, with the types PostgreSQL has: times in ms are
 * BIGINT, metric values DOUBLE PRECISION (as SQLite's REAL), JSON kept as text so that it reads
 * back byte for byte as written. `seq` columns give insertion order where SQLite has its rowid.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE experiments (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL,
    experiment_id BIGINT NOT NULL REFERENCES experiments(id),
    name TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
    start_time BIGINT NOT NULL,
    end_time BIGINT,
    config_hash TEXT,
    git_sha TEXT,
    parent_run_id TEXT REFERENCES runs(id),
    failure_reason TEXT,
    pid INTEGER,
    host TEXT
  );
  CREATE INDEX runs_by_experiment ON runs(experiment_id, start_time);
  CREATE INDEX runs_by_parent ON runs(parent_run_id);
  CREATE INDEX runs_by_start ON runs(start_time DESC, seq DESC);
  CREATE TABLE params (
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE metrics (
    id BIGSERIAL PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    step INTEGER NOT NULL,
    time BIGINT NOT NULL
  );
  CREATE INDEX metrics_by_run ON metrics(run_id, key, step);
  CREATE TABLE tags (
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE artifacts (
    run_id TEXT NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
  );
  CREATE TABLE models (
    name TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE model_versions (
    name TEXT NOT NULL REFERENCES models(name),
    version INTEGER NOT NULL,
    seq BIGSERIAL NOT NULL,
    run_id TEXT REFERENCES runs(id),
    bundle TEXT NOT NULL,
    metrics TEXT NOT NULL,
    config_hash TEXT,
    git_sha TEXT,
    bundle_digest TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (name, version)
  );
  CREATE TABLE aliases (
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES model_versions(name, version)
  );
  CREATE TABLE alias_history (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    previous_version INTEGER,
    changed_at BIGINT NOT NULL
  );
  CREATE TABLE monitor_events (
    id BIGSERIAL PRIMARY KEY,
    time BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('drift', 'performance', 'time')),
    trigger_name TEXT NOT NULL,
    model TEXT,
    version TEXT,
    action TEXT NOT NULL CHECK (action IN ('none', 'drift-check', 'retrain')),
    figures TEXT NOT NULL,
    outcome TEXT
  );
  CREATE INDEX monitor_events_by_model ON monitor_events(model, id);
  CREATE TABLE feedback (
    prediction_id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL,
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    predicted TEXT NOT NULL,
    label TEXT NOT NULL,
    time BIGINT NOT NULL
  );
  CREATE INDEX feedback_by_model ON feedback(model, time);
  `,
];

/** Any constant: the advisory lock that lets one process at a time migrate a database. */
const MIGRATION_LOCK = 0x63766673;

/**
 * Brings the schema up to date in one transaction. Several processes opening a new database at
 * once (workers starting together) take turns on an advisory lock, so each migration runs once.
 */
export async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS cvf_schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ current: number }>('SELECT COALESCE(MAX(version), 0)::int AS current FROM cvf_schema_migrations');
    for (let k = rows[0]!.current; k < MIGRATIONS.length; k++) {
      await client.query(MIGRATIONS[k]!);
      await client.query('INSERT INTO cvf_schema_migrations (version, applied_at) VALUES ($1, $2)', [k + 1, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
