import type Sqlite from 'better-sqlite3';

/**
 * Schema migrations of the tracking database, applied in order inside one transaction each.
 * `PRAGMA user_version` records how many have run; a new migration is appended, never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id),
    name TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    config_hash TEXT,
    git_sha TEXT,
    parent_run_id TEXT REFERENCES runs(id),
    failure_reason TEXT,
    -- Who runs it, so a crashed process's run can be recognised and marked failed.
    pid INTEGER,
    host TEXT
  );
  CREATE INDEX runs_by_experiment ON runs(experiment_id, start_time);
  CREATE INDEX runs_by_parent ON runs(parent_run_id);
  CREATE TABLE params (
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  );
  CREATE TABLE metrics (
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    value REAL NOT NULL,
    step INTEGER NOT NULL,
    time INTEGER NOT NULL
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
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
  );
  CREATE TABLE models (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE model_versions (
    name TEXT NOT NULL REFERENCES models(name),
    version INTEGER NOT NULL,
    run_id TEXT REFERENCES runs(id),
    bundle TEXT NOT NULL,
    metrics TEXT NOT NULL,
    config_hash TEXT,
    git_sha TEXT,
    created_at INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    previous_version INTEGER,
    changed_at INTEGER NOT NULL
  );
  `,
  // 2: the SHA-256 digest of a version's bundle manifest, checked when the version is loaded.
  `ALTER TABLE model_versions ADD COLUMN bundle_digest TEXT;`,
  // 3: trigger firings of the monitor, and labels fed back for served predictions.
  `
  CREATE TABLE monitor_events (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
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
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    predicted TEXT NOT NULL,
    label TEXT NOT NULL,
    time INTEGER NOT NULL
  );
  CREATE INDEX feedback_by_model ON feedback(model, time);
  `,
];

/**
 * Applies the migrations not yet run. Each one re-reads `user_version` under the write lock, so
 * processes opening a new store at the same moment apply every migration once: reading it
 * before the lock let two of them both run migration 1 ("table experiments already exists").
 */
export function migrate(db: Sqlite.Database): void {
  const applied = (): number => db.pragma('user_version', { simple: true }) as number;
  for (let k = applied(); k < MIGRATIONS.length; k++) {
    db.transaction(() => {
      if (applied() > k) return;
      db.exec(MIGRATIONS[k]!);
      db.pragma(`user_version = ${k + 1}`);
    }).immediate();
  }
}
