import type pg from 'pg';
import { MonitorError } from '../../../errors.js';
import type { FeedbackLabel } from '../../../monitor/feedback/feedback-label.js';
import { assertNewMonitorEvent, type MonitorEvent, type MonitorEventFilter, type NewMonitorEvent } from '../../../monitor/triggers/monitor-event.js';
import { inTransaction } from './transaction.js';
import { EVENT_COLUMNS, toEvent, type EventRow } from '../store-rows.js';

// The monitor's tables in PostgreSQL: trigger firings and fed-back labels (as ../monitor-rows.ts for SQLite).

export async function insertMonitorEvent(pool: pg.Pool, event: NewMonitorEvent): Promise<MonitorEvent> {
  assertNewMonitorEvent(event);
  const { rows } = await pool.query<EventRow>(
    `INSERT INTO monitor_events (time, kind, trigger_name, model, version, action, figures) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${EVENT_COLUMNS}`,
    [event.time ?? Date.now(), event.kind, event.trigger, event.model, event.version, event.action, JSON.stringify(event.figures)],
  );
  return toEvent(rows[0]!);
}

export async function selectMonitorEvents(pool: pg.Pool, filter: MonitorEventFilter = {}): Promise<MonitorEvent[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (value: unknown) => `$${args.push(value)}`;
  if (filter.model !== undefined) where.push(`model = ${arg(filter.model)}`);
  if (filter.kind !== undefined) where.push(`kind = ${arg(filter.kind)}`);
  if (filter.pendingAction !== undefined) where.push(`action = ${arg(filter.pendingAction)} AND outcome IS NULL`);
  const sql = `SELECT ${EVENT_COLUMNS} FROM monitor_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${arg(filter.limit ?? null)}`;
  return (await pool.query<EventRow>(sql, args)).rows.map(toEvent);
}

export async function updateMonitorEventOutcome(pool: pg.Pool, id: number, outcome: Readonly<Record<string, unknown>>): Promise<MonitorEvent> {
  const { rows } = await pool.query<EventRow>(`UPDATE monitor_events SET outcome = $1 WHERE id = $2 RETURNING ${EVENT_COLUMNS}`, [JSON.stringify(outcome), id]);
  if (rows.length === 0) throw new MonitorError('MONITOR_EVENT_INVALID', `no monitor event with id ${id}`);
  return toEvent(rows[0]!);
}

export async function upsertFeedback(pool: pg.Pool, labels: readonly FeedbackLabel[]): Promise<{ stored: number; replaced: number }> {
  return inTransaction(pool, async (client) => {
    let replaced = 0;
    for (const l of labels) {
      // xmax is 0 for a row this statement inserted, the updating transaction's id for one it replaced.
      const { rows } = await client.query<{ inserted: boolean }>(
        `INSERT INTO feedback (prediction_id, model, version, predicted, label, time) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (prediction_id) DO UPDATE SET label = excluded.label, time = excluded.time RETURNING (xmax = 0) AS inserted`,
        [l.predictionId, l.model, l.version, l.predicted, l.label, l.time],
      );
      if (!rows[0]!.inserted) replaced++;
    }
    return { stored: labels.length - replaced, replaced };
  });
}

export async function selectRecentFeedback(pool: pg.Pool, model: string, limit: number, version?: string): Promise<FeedbackLabel[]> {
  const sql = `SELECT prediction_id AS "predictionId", model, version, predicted, label, time FROM feedback
    WHERE model = $1 ${version === undefined ? '' : 'AND version = $3'} ORDER BY time DESC, seq DESC LIMIT $2`;
  return (await pool.query<FeedbackLabel>(sql, version === undefined ? [model, limit] : [model, limit, version])).rows;
}
