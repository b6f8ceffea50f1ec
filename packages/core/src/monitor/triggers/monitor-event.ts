import { MonitorError } from '../../errors.js';

/** What fired: a drift test, the performance trigger on fed-back labels, or a cron time trigger. */
export const MONITOR_EVENT_KINDS = ['drift', 'performance', 'time'] as const;
export type MonitorEventKind = (typeof MONITOR_EVENT_KINDS)[number];

/** What a firing asks for: nothing beyond the record, a drift check (time triggers), or a retraining run. */
export const MONITOR_ACTIONS = ['none', 'drift-check', 'retrain'] as const;
export type MonitorAction = (typeof MONITOR_ACTIONS)[number];

/** A trigger firing as the tracking store records it. Times are milliseconds since the Unix epoch. */
export interface MonitorEvent {
  readonly id: number;
  readonly time: number;
  readonly kind: MonitorEventKind;
  /** The trigger's name: `drift`, `performance`, or the schedule entry's name. */
  readonly trigger: string;
  /** The model the figures are about (null for a time trigger of no model). */
  readonly model: string | null;
  readonly version: string | null;
  readonly action: MonitorAction;
  /** The figures that made it fire (statistic, p-value, Wilson bound, labels, cron, ...), plain JSON. */
  readonly figures: Readonly<Record<string, unknown>>;
  /** What came of the action once it ran (exit status, drift verdict), null while pending or for `none`. */
  readonly outcome: Readonly<Record<string, unknown>> | null;
}

export type NewMonitorEvent = Omit<MonitorEvent, 'id' | 'time' | 'outcome'> & { readonly time?: number };

export interface MonitorEventFilter {
  readonly model?: string;
  readonly kind?: MonitorEventKind;
  /** Only events with this action and no outcome yet (the scheduler's queue of pending retrains). */
  readonly pendingAction?: Exclude<MonitorAction, 'none'>;
  /** Newest first; default: all. */
  readonly limit?: number;
}

/** Where trigger firings are kept (the SQLite tracking store implements it). */
export interface MonitorEventStore {
  /** Records one firing, in one transaction; returns it with its id and time. */
  recordMonitorEvent(event: NewMonitorEvent): Promise<MonitorEvent>;
  /** Firings newest first. */
  listMonitorEvents(filter?: MonitorEventFilter): Promise<MonitorEvent[]>;
  /** Stores what came of an event's action. */
  setMonitorEventOutcome(id: number, outcome: Readonly<Record<string, unknown>>): Promise<MonitorEvent>;
}

/** Throws MONITOR_EVENT_INVALID unless `event` names a known kind and action and its figures are a JSON object. */
export function assertNewMonitorEvent(event: NewMonitorEvent): void {
  if (!(MONITOR_EVENT_KINDS as readonly string[]).includes(event.kind)) {
    throw new MonitorError('MONITOR_EVENT_INVALID', `monitor event kind "${event.kind}" is not one of ${MONITOR_EVENT_KINDS.join(', ')}`);
  }
  if (!(MONITOR_ACTIONS as readonly string[]).includes(event.action)) {
    throw new MonitorError('MONITOR_EVENT_INVALID', `monitor event action "${event.action}" is not one of ${MONITOR_ACTIONS.join(', ')}`);
  }
  if (typeof event.trigger !== 'string' || event.trigger.length === 0) throw new MonitorError('MONITOR_EVENT_INVALID', 'a monitor event needs the name of its trigger');
  if (typeof event.figures !== 'object' || event.figures === null || Array.isArray(event.figures)) {
    throw new MonitorError('MONITOR_EVENT_INVALID', 'monitor event figures must be a JSON object');
  }
}
