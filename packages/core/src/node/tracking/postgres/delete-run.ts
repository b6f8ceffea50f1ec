import type pg from 'pg';
import { TrackingError } from '../../../errors.js';
import type { DeleteRunOptions } from '../delete-run.js';
import { inTransaction } from './transaction.js';

/**
 * Removes a run's rows in one transaction, with the rules of the SQLite store (../delete-run.ts):
 * a running run or one behind a registered version only with `force`; child runs stay without
 * their parent. Returns the versions that referred to the run, so the caller keeps their bundles.
 */
export function deleteRunRows(pool: pg.Pool, runId: string, options: DeleteRunOptions = {}): Promise<{ versions: { name: string; version: number; bundle: string }[] }> {
  return inTransaction(pool, async (client) => {
    const run = (await client.query<{ status: string; pid: number | null; host: string | null }>('SELECT status, pid, host FROM runs WHERE id = $1 FOR UPDATE', [runId])).rows[0];
    if (!run) throw new TrackingError('TRACKING_NOT_FOUND', `no run with id "${runId}"`);
    if (run.status === 'running' && !options.force) {
      throw new TrackingError('TRACKING_CONFLICT', `run ${runId} is running (process ${run.pid ?? '?'} on ${run.host ?? '?'}); stop it first, or delete it anyway with --force`);
    }
    const versions = (await client.query<{ name: string; version: number; bundle: string }>('SELECT name, version, bundle FROM model_versions WHERE run_id = $1 ORDER BY name, version', [runId])).rows;
    if (versions.length > 0 && !options.force) {
      throw new TrackingError(
        'TRACKING_CONFLICT',
        `run ${runId} produced the registered model ${versions.map((v) => `${v.name}@${v.version}`).join(', ')}; delete it anyway with --force (the versions and their bundles stay, without their run)`,
      );
    }
    await client.query('UPDATE model_versions SET run_id = NULL WHERE run_id = $1', [runId]);
    await client.query('UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = $1', [runId]);
    for (const table of ['params', 'metrics', 'tags', 'artifacts']) await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
    await client.query('DELETE FROM runs WHERE id = $1', [runId]);
    return { versions };
  });
}
