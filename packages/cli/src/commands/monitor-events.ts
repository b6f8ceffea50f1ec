import { MONITOR_EVENT_KINDS, type MonitorEvent, type MonitorEventKind } from '@cvf/core';
import { Command, Option } from 'commander';
import { nonNegativeIntegerOption } from '../option-parsers.js';
import { EXIT, printJson, runAction } from '../output.js';
import { openStore } from '../store-location.js';
import { formatTable } from './runs-format.js';

interface EventsOptions {
  model?: string;
  kind?: MonitorEventKind;
  limit: number;
  store?: string;
  json?: boolean;
}

/** `cvf monitor events`: the trigger firings the tracking store recorded, newest first. */
export function registerMonitorEvents(monitor: Command): void {
  monitor
    .command('events')
    .description('trigger firings recorded in the tracking store (drift, performance, time), newest first: what fired, when, its figures, which model version, the action and what came of it')
    .option('--model <name>', 'only events about this model')
    .addOption(new Option('--kind <kind>', 'only events of this kind').choices(MONITOR_EVENT_KINDS))
    .option('--limit <n>', 'at most this many (0: all)', nonNegativeIntegerOption, 50)
    .option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .option('--json', 'print JSON')
    .action((options: EventsOptions) =>
      runAction(Boolean(options.json), async () => {
        const store = await openStore({ flag: options.store, use: 'read' });
        try {
          const events = await store.listMonitorEvents({
            ...(options.model !== undefined && { model: options.model }),
            ...(options.kind !== undefined && { kind: options.kind }),
            ...(options.limit > 0 && { limit: options.limit }),
          });
          if (options.json) printJson(events);
          else process.stdout.write(`${events.length === 0 ? 'no monitor events' : formatEvents(events)}\n`);
          return EXIT.ok;
        } finally {
          await store.close();
        }
      }),
    );
}

function formatEvents(events: readonly MonitorEvent[]): string {
  const rows = events.map((e) => [
    String(e.id),
    new Date(e.time).toISOString().replace(/\.\d+Z$/, 'Z'),
    e.kind,
    e.trigger,
    e.model === null ? '-' : e.version === null ? e.model : `${e.model}@${e.version}`,
    e.action,
    summariseFigures(e),
    e.outcome === null ? (e.action === 'none' ? '-' : 'pending') : summariseOutcome(e.outcome),
  ]);
  return formatTable(['id', 'time', 'kind', 'trigger', 'model', 'action', 'figures', 'outcome'], rows);
}

/** The few figures that say why it fired. */
function summariseFigures(event: MonitorEvent): string {
  const f = event.figures as Record<string, unknown>;
  if (event.kind === 'performance') {
    const metric = f.class === undefined ? String(f.metric) : `${String(f.metric)}(${String(f.class)})`;
    return `${metric} ${num(f.estimate)} [${num(f.low)}, ${num(f.high)}] < ${num(f.threshold)} on ${String(f.trials)} labels`;
  }
  if (event.kind === 'drift') {
    const results = (f.results as { method: string; statistic: number; pValue?: number; drifted: boolean }[] | undefined) ?? [];
    return results.filter((r) => r.drifted).map((r) => `${r.method} ${num(r.statistic)}${r.pValue === undefined ? '' : ` p=${num(r.pValue)}`}`).join('; ') || summarise(f);
  }
  return summarise(f);
}

/** The status of the action and what its child said last: an error code, the retrain decision, the drift verdict. */
function summariseOutcome(outcome: Readonly<Record<string, unknown>>): string {
  const parts = [String(outcome.status)];
  if (typeof outcome.exitCode === 'number' && outcome.exitCode !== 0) parts.push(`exit ${outcome.exitCode}`);
  if (typeof outcome.signal === 'string') parts.push(outcome.signal);
  const result = (outcome.result ?? {}) as Record<string, unknown>;
  const error = result.error as { code?: string } | undefined;
  if (error?.code) parts.push(error.code);
  if (typeof result.promoted === 'boolean') parts.push(result.promoted ? 'promoted' : 'not promoted');
  if (typeof result.drifted === 'boolean') parts.push(result.drifted ? 'drifted' : 'no drift');
  if (typeof outcome.into === 'number') parts.push(`with event ${outcome.into}`);
  return parts.join(', ');
}

function summarise(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

function num(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(3))) : String(value);
}
