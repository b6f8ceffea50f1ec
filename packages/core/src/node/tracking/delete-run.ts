import type Sqlite from 'better-sqlite3';
import { TrackingError } from '../../errors.js';

export interface DeleteRunOptions {
  /**
   * Delete a run that is still running, or one whose bundle is a registered model version (the
   * versions stay registered, without their run).
   */
  readonly force?: boolean;
}

/**
 * Removes a run's rows (params, metrics, tags, artifact records, the run) in one transaction.
 * A running run and a run behind a registered model version are refused unless `force`; child
 * runs (trials of a search, resumed runs) stay, without their parent. Returns the model versions
 * that referred to the run, so the caller keeps their bundle files.
 */
export function deleteRunRows(db: Sqlite.Database, runId: string, options: DeleteRunOptions = {}): { versions: { name: string; version: number; bundle: string }[] } {
  return db.transaction(() => {
    const run = db.prepare('SELECT status, pid, host FROM runs WHERE id = ?').get(runId) as { status: string; pid: number | null; host: string | null } | undefined;
    if (!run) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id "${runId}"`);
    if (run.status === 'running' && !options.force) {
      throw new TrackingError('TRACKING_CONFLICT', `run ${runId} is running (process ${run.pid ?? '?'} on ${run.host ?? '?'}); stop it first, or delete it anyway with --force`);
    }
    const versions = db.prepare('SELECT name, version, bundle FROM model_versions WHERE run_id = ? ORDER BY name, version').all(runId) as { name: string; version: number; bundle: string }[];
    if (versions.length > 0 && !options.force) {
      throw new TrackingError(
        'TRACKING_CONFLICT',
        `run ${runId} produced the registered model ${versions.map((v) => `${v.name}@${v.version}`).join(', ')}; delete it anyway with --force (the versions and their bundles stay, without their run)`,
      );
    }
    db.prepare('UPDATE model_versions SET run_id = NULL WHERE run_id = ?').run(runId);
    db.prepare('UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?').run(runId);
    for (const table of ['params', 'metrics', 'tags', 'artifacts']) db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
    db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    return { versions };
  }).immediate();
}
