import type Sqlite from 'better-sqlite3';
import { MonitorError } from '../../errors.js';
import type { FeedbackLabel } from '../../monitor/feedback/feedback-label.js';
import { assertNewMonitorEvent, type MonitorEvent, type MonitorEventFilter, type NewMonitorEvent } from '../../monitor/triggers/monitor-event.js';
import { EVENT_COLUMNS, toEvent, type EventRow } from './store-rows.js';

// The monitor's tables of the tracking store (migration 3): trigger firings and fed-back labels.

export function insertMonitorEvent(db: Sqlite.Database, event: NewMonitorEvent): MonitorEvent {
  assertNewMonitorEvent(event);
  const id = db.transaction(() => {
    const result = db
      .prepare('INSERT INTO monitor_events (time, kind, trigger_name, model, version, action, figures) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(event.time ?? Date.now(), event.kind, event.trigger, event.model, event.version, event.action, JSON.stringify(event.figures));
    return Number(result.lastInsertRowid);
  }).immediate();
  return monitorEventById(db, id);
}

export function selectMonitorEvents(db: Sqlite.Database, filter: MonitorEventFilter = {}): MonitorEvent[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.model !== undefined) (where.push('model = ?'), args.push(filter.model));
  if (filter.kind !== undefined) (where.push('kind = ?'), args.push(filter.kind));
  if (filter.pendingAction !== undefined) (where.push('action = ? AND outcome IS NULL'), args.push(filter.pendingAction));
  const sql = `SELECT ${EVENT_COLUMNS} FROM monitor_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, filter.limit ?? -1) as EventRow[]).map(toEvent);
}

export function updateMonitorEventOutcome(db: Sqlite.Database, id: number, outcome: Readonly<Record<string, unknown>>): MonitorEvent {
  const { changes } = db.prepare('UPDATE monitor_events SET outcome = ? WHERE id = ?').run(JSON.stringify(outcome), id);
  if (changes === 0) throw new MonitorError('MONITOR_EVENT_INVALID', `no monitor event with id ${id}`);
  return monitorEventById(db, id);
}

function monitorEventById(db: Sqlite.Database, id: number): MonitorEvent {
  const row = db.prepare(`SELECT ${EVENT_COLUMNS} FROM monitor_events WHERE id = ?`).get(id) as EventRow | undefined;
  if (!row) throw new MonitorError('MONITOR_EVENT_INVALID', `no monitor event with id ${id}`);
  return toEvent(row);
}

export function upsertFeedback(db: Sqlite.Database, labels: readonly FeedbackLabel[]): { stored: number; replaced: number } {
  const exists = db.prepare('SELECT 1 FROM feedback WHERE prediction_id = ?');
  const upsert = db.prepare(
    `INSERT INTO feedback (prediction_id, model, version, predicted, label, time) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (prediction_id) DO UPDATE SET label = excluded.label, time = excluded.time`,
  );
  return db.transaction(() => {
    let replaced = 0;
    for (const l of labels) {
      if (exists.get(l.predictionId)) replaced++;
      upsert.run(l.predictionId, l.model, l.version, l.predicted, l.label, l.time);
    }
    return { stored: labels.length - replaced, replaced };
  }).immediate();
}

export function selectRecentFeedback(db: Sqlite.Database, model: string, limit: number, version?: string): FeedbackLabel[] {
  const sql = `SELECT prediction_id AS predictionId, model, version, predicted, label, time FROM feedback
    WHERE model = ? ${version === undefined ? '' : 'AND version = ?'} ORDER BY time DESC, rowid DESC LIMIT ?`;
  return db.prepare(sql).all(...(version === undefined ? [model, limit] : [model, version, limit])) as FeedbackLabel[];
}
