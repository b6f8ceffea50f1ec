import type pg from 'pg';
import type { Run } from '../../../tracking/types.js';
import type { RunOverview } from '../run-overviews.js';

/** Tags and latest metrics of many runs in two queries (as ../run-overviews.ts for SQLite). */
export async function attachOverviews(pool: pg.Pool, runs: readonly Run[]): Promise<RunOverview[]> {
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const tags = (await pool.query<{ run_id: string; key: string; value: string }>('SELECT run_id, key, value FROM tags WHERE run_id = ANY($1)', [ids])).rows;
  const metrics = (
    await pool.query<{ run_id: string; key: string; value: number }>(
      'SELECT DISTINCT ON (run_id, key) run_id, key, value FROM metrics WHERE run_id = ANY($1) ORDER BY run_id, key, id DESC',
      [ids],
    )
  ).rows;
  const byRun = new Map(runs.map((r) => [r.id, { tags: {} as Record<string, string>, latestMetrics: {} as Record<string, number> }]));
  for (const t of tags) byRun.get(t.run_id)!.tags[t.key] = t.value;
  for (const m of metrics) byRun.get(m.run_id)!.latestMetrics[m.key] = m.value;
  return runs.map((run) => ({ ...run, ...byRun.get(run.id)! }));
}
