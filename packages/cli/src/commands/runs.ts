import { RUN_STATUSES, type Run, type RunDetails, type RunStatus } from '@cvf/core';
import type { TrackingStore } from '@cvf/core/node';
import { Command, Option } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';
import { openStore } from '../store-location.js';
import { confusionMatrixLines, formatNumber, formatTable, historyLines } from './runs-format.js';

const storeOption = () => new Option('--store <dir|url>', 'tracking store: a folder or a postgres:// URL (default: $CVF_STORE, else the nearest .cvf/ here or above)');

/** The tag `cvf train --note` writes (TrainPipelineOptions.note). */
const NOTE_TAG = 'note';
/** Metrics `runs list` shows, when some listed run has them: the ones a run is judged by. */
const KEY_METRICS = ['val.accuracy', 'test.accuracy', 'test.auroc', 'test.ece'];
/** How much of an id `runs list` prints; `runs show` and `runs delete` take any unique prefix. */
const SHORT_ID = 8;

/** Runs a command against the store the options name (which must exist), closing it after. */
async function withStore(options: { store?: string }, work: (store: TrackingStore) => Promise<number>): Promise<number> {
  const store = await openStore({ flag: options.store, use: 'read' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('training runs recorded in the tracking store');

  runs
    .command('list')
    .description('list runs, newest first, with their key metrics')
    .addOption(storeOption())
    .option('--experiment <name>', 'only runs of this experiment')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .action((options: { store?: string; experiment?: string; status?: RunStatus; limit: number; json?: boolean }) =>
      runAction(Boolean(options.json), () =>
        withStore(options, async (store) => {
          const list = await store.listRuns({ experiment: options.experiment, status: options.status, limit: options.limit });
          if (options.json) printJson(list);
          else process.stdout.write(`${formatRunList(await Promise.all(list.map((r) => store.getRun(r.id))))}\n`);
          return EXIT.ok;
        }),
      ),
    );

  runs
    .command('show')
    .description('one run: summary, per-epoch history, confusion matrix, metrics, tags, artifacts, params')
    .argument('<run-id>', 'the run id, or any prefix of it that names one run')
    .addOption(storeOption())
    .option('--json', 'print JSON (with the metric history and the evaluation report)')
    .action((runId: string, options: { store?: string; json?: boolean }) =>
      runAction(Boolean(options.json), () =>
        withStore(options, async (store) => {
          const run = await store.getRun(await store.resolveRunId(runId));
          const history = await store.getMetricHistory(run.id);
          const evaluation = await readEvaluation(store, run);
          if (options.json) printJson({ ...run, history, evaluation });
          else process.stdout.write(`${formatRun(run, history, evaluation).join('\n')}\n`);
          return EXIT.ok;
        }),
      ),
    );

  runs
    .command('delete')
    .description('delete runs: their records, artifacts and bundle folder (a running run, or one behind a registered model version, only with --force)')
    .argument('<run-ids...>', 'run ids, or unique prefixes of them')
    .addOption(storeOption())
    .option('--force', 'delete a running run, or one a registered model version came from (the version and its bundle stay)')
    .option('--json', 'print JSON')
    .action((runIds: string[], options: { store?: string; force?: boolean; json?: boolean }) =>
      runAction(
        Boolean(options.json),
        () =>
          withStore(options, async (store) => {
            // Every id is resolved before anything is deleted: a typo deletes nothing.
            const ids = await Promise.all(runIds.map((id) => store.resolveRunId(id)));
            for (const id of ids) await store.deleteRun(id, { force: Boolean(options.force) });
            if (options.json) printJson({ deleted: ids });
            else process.stdout.write(ids.map((id) => `deleted run ${id}\n`).join(''));
            return EXIT.ok;
          }),
        EXIT.badInput,
      ),
    );
}

function formatRunList(list: readonly RunDetails[]): string {
  if (list.length === 0) return 'no runs';
  const metrics = KEY_METRICS.filter((key) => list.some((r) => key in r.latestMetrics));
  const header = ['id', 'experiment', 'name', 'status', 'started', 'took', ...metrics];
  const rows = list.map((r) => [
    r.id.slice(0, SHORT_ID),
    r.experiment,
    r.name ?? '',
    r.status,
    localTime(r.startTime),
    took(r),
    ...metrics.map((key) => (r.latestMetrics[key] === undefined ? '' : formatNumber(r.latestMetrics[key]!))),
  ]);
  return formatTable(header, rows);
}

interface SplitReport {
  readonly classes?: readonly string[];
  readonly confusionMatrix?: readonly (readonly number[])[];
}

/** The evaluation report training logs (`evaluation.json`: val and test), or null for runs without one. */
async function readEvaluation(store: TrackingStore, run: RunDetails): Promise<Record<string, SplitReport> | null> {
  if (!run.artifacts.some((a) => a.path === 'evaluation.json')) return null;
  return JSON.parse(new TextDecoder().decode(await store.readArtifact(run.id, 'evaluation.json'))) as Record<string, SplitReport>;
}

function formatRun(run: RunDetails, history: Parameters<typeof historyLines>[0], evaluation: Record<string, SplitReport> | null): string[] {
  const { [NOTE_TAG]: note, ...tags } = run.tags;
  const summary: [string, string | null | undefined][] = [
    ['run', run.id],
    ['name', run.name],
    ['note', note],
    ['experiment', run.experiment],
    ['status', `${run.status}${run.failureReason ? ` (${run.failureReason})` : ''}`],
    ['started', localTime(run.startTime)],
    ['took', took(run)],
    ['parent', run.parentRunId],
    ['git', run.gitSha],
    ['config', run.configHash],
  ];
  const lines = summary.filter(([, v]) => v).map(([k, v]) => `${k.padEnd(10)} ${v}`);
  const section = (title: string, body: string[]) => body.length > 0 && lines.push('', title, ...body.map((l) => `  ${l}`));
  section('history (per epoch)', historyLines(history));
  const test = evaluation?.test;
  if (test?.classes && test.confusionMatrix) section('confusion matrix (test split)', confusionMatrixLines(test.classes, test.confusionMatrix));
  section('metrics (latest)', formatTable(['metric', 'value'], Object.entries(run.latestMetrics).map(([k, v]) => [k, formatNumber(v)])).split('\n').slice(1));
  section('tags', Object.entries(tags).map(([k, v]) => `${k} = ${v}`));
  section('artifacts', run.artifacts.map((a) => `${a.path} (${a.size} bytes)`));
  section('params', Object.entries(run.params).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`));
  return lines;
}

function took(run: Run): string {
  return run.endTime ? `${((run.endTime - run.startTime) / 1000).toFixed(1)} s` : '';
}

/** A time as `2026-12-06 07:03:12` in the machine's time zone. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
