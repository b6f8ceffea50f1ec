import { CvfError } from '@cvf/core';
import { copySqliteStoreToPostgres, isPostgresLocation, type StoreCopyReport } from '@cvf/core/node';
import type { Command } from 'commander';
import { EXIT, printJson, runAction } from '../output.js';
import { ProgressReporter } from '../progress.js';
import { locateStore } from '../store-location.js';
import { formatTable } from './runs-format.js';

interface MigrateOptions {
  from?: string;
  to: string;
  json?: boolean;
}

/** `cvf store migrate`: a SQLite store copied into PostgreSQL, for a team outgrowing one machine. */
export function registerStore(program: Command): void {
  const store = program.command('store').description('the tracking store itself');
  store
    .command('migrate')
    .description(
      'copy a SQLite store (runs, params, metrics, tags, artifacts, models, versions, aliases and their history, monitor events, fed-back labels) into a PostgreSQL store; run it again to copy what is new: nothing is copied twice',
    )
    .option('--from <dir>', 'the SQLite store folder (default: $CVF_STORE, else the nearest .cvf/ here or above)')
    .requiredOption('--to <url>', 'the PostgreSQL store: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?artifacts=DIR] (run files go to DIR, default ./.cvf)')
    .option('--json', 'print the counts as JSON')
    .action((options: MigrateOptions) => runAction(Boolean(options.json), () => migrate(options), EXIT.badInput));
}

async function migrate(options: MigrateOptions): Promise<number> {
  if (!isPostgresLocation(options.to)) throw new CvfError('USAGE_INVALID', `--to must be a postgres:// URL, not "${options.to}"`);
  const from = locateStore({ flag: options.from, use: 'read' }).root;
  if (isPostgresLocation(from)) throw new CvfError('USAGE_INVALID', `--from must be a SQLite store folder, not the URL "${from}": cvf store migrate copies SQLite into PostgreSQL`);
  const progress = options.json ? undefined : new ProgressReporter({ json: false });
  const report = await copySqliteStoreToPostgres(from, options.to, progress ? { onRun: (done, total) => progress.update({ stage: 'runs', done, total }) } : {});
  if (options.json) printJson({ from, copied: report });
  else process.stdout.write(`copied from ${from}:\n${formatTable(['records', 'copied'], (Object.entries(report) as [keyof StoreCopyReport, number][]).map(([kind, n]) => [kind, String(n)]))}\n`);
  return EXIT.ok;
}
