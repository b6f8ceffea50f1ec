import { RUN_STATUSES, type Run, type RunStatus } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { Command, Option } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';

const storeOption = () => new Option('--store <dir>', 'tracking store folder').default('.cvf');

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('training runs recorded in the tracking store');

  runs
    .command('list')
    .description('list runs, newest first')
    .addOption(storeOption())
    .option('--experiment <name>', 'only runs of this experiment')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .action((options: { store: string; experiment?: string; status?: RunStatus; limit: number; json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const store = SqliteTrackingStore.open(options.store);
        try {
          const list = await store.listRuns({ experiment: options.experiment, status: options.status, limit: options.limit });
          if (options.json) printJson(list);
          else printRuns(list);
          return EXIT.ok;
        } finally {
          store.close();
        }
      }),
    );

  runs
    .command('show')
    .description('one run: params, latest metrics, tags, artifacts')
    .argument('<run-id>')
    .addOption(storeOption())
    .option('--json', 'print JSON')
    .action((runId: string, options: { store: string; json?: boolean }) =>
      runAction(Boolean(options.json), async () => {
        const store = SqliteTrackingStore.open(options.store);
        try {
          const run = await store.getRun(runId);
          if (options.json) printJson(run);
          else {
            printRuns([run]);
            const section = (title: string, entries: [string, unknown][]) =>
              entries.length && process.stdout.write(`\n${title}\n${entries.map(([k, v]) => `  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n')}\n`);
            section('params', Object.entries(run.params));
            section('metrics (latest)', Object.entries(run.latestMetrics));
            section('tags', Object.entries(run.tags));
            section('artifacts', run.artifacts.map((a) => [a.path, `${a.size} bytes`]));
            if (run.failureReason) process.stdout.write(`\nfailure: ${run.failureReason}\n`);
          }
          return EXIT.ok;
        } finally {
          store.close();
        }
      }),
    );
}

function printRuns(list: readonly Run[]): void {
  if (list.length === 0) {
    process.stdout.write('no runs\n');
    return;
  }
  const rows = list.map((r) => [r.id, r.experiment, r.name ?? '', r.status, new Date(r.startTime).toISOString(), r.endTime ? `${((r.endTime - r.startTime) / 1000).toFixed(1)} s` : '']);
  const header = ['id', 'experiment', 'name', 'status', 'started', 'took'];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd();
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}
