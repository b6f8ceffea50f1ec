import type pg from 'pg';
import { hostname } from 'node:os';
import { isProcessAlive } from '../../process-alive.js';

/**
 * Runs still `running` whose process on this host is gone are marked failed (as
 * ../orphaned-runs.ts for SQLite). Runs of other hosts sharing the database are left alone:
 * their liveness cannot be seen from here.
 */
export async function markOrphanedRunsFailed(pool: pg.Pool): Promise<number> {
  const candidates = (await pool.query<{ id: string; pid: number | null }>(`SELECT id, pid FROM runs WHERE status = 'running' AND host = $1`, [hostname()])).rows;
  const orphans = candidates.filter((run) => run.pid === null || (run.pid !== process.pid && !isProcessAlive(run.pid)));
  for (const run of orphans) {
    await pool.query(`UPDATE runs SET status = 'failed', end_time = $1, failure_reason = $2 WHERE id = $3 AND status = 'running'`, [
      Date.now(),
      `process ${run.pid ?? '?'} ended without ending the run (killed or crashed)`,
      run.id,
    ]);
  }
  return orphans.length;
}
