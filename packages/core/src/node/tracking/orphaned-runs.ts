import type Sqlite from 'better-sqlite3';
import { hostname } from 'node:os';
import { isProcessAlive } from '../process-alive.js';

/**
 * Runs still `running` whose process on this host is gone were killed without ending (SIGKILL,
 * power loss, OOM killer): they are marked failed, so lists never show phantom running runs.
 * Runs of other hosts sharing the store are left alone: their liveness cannot be seen from here.
 */
export function markOrphanedRunsFailed(db: Sqlite.Database): number {
  const here = hostname();
  const candidates = db.prepare(`SELECT id, pid FROM runs WHERE status = 'running' AND host = ?`).all(here) as { id: string; pid: number | null }[];
  const orphans = candidates.filter((run) => run.pid === null || (run.pid !== process.pid && !isProcessAlive(run.pid)));
  const mark = db.prepare(`UPDATE runs SET status = 'failed', end_time = ?, failure_reason = ? WHERE id = ? AND status = 'running'`);
  db.transaction(() => {
    for (const run of orphans) mark.run(Date.now(), `process ${run.pid ?? '?'} ended without ending the run (killed or crashed)`, run.id);
  }).immediate();
  return orphans.length;
}
